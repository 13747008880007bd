package io.jsorc.meta.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One task at a time per key, in order; keys in parallel; every wait bounded and interruptible. */
class KeyedSerialExecutorTest {

    final ExecutorService pool = Executors.newCachedThreadPool();
    final KeyedSerialExecutor lanes = new KeyedSerialExecutor(pool);
    static final Duration LONG = Duration.ofSeconds(10);

    @AfterEach
    void stop() throws Exception {
        pool.shutdownNow();
        pool.awaitTermination(5, TimeUnit.SECONDS);
    }

    static Runnable awaiting(CountDownLatch latch) {
        return () -> {
            try {
                latch.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }

    @Test
    void tasksOfOneKeyRunInOrderOneAtATime() {
        List<Integer> seen = new CopyOnWriteArrayList<>();
        List<Integer> concurrent = new CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicInteger running = new java.util.concurrent.atomic.AtomicInteger();
        for (int i = 0; i < 200; i++) {
            int n = i;
            lanes.execute("k", () -> {
                concurrent.add(running.incrementAndGet());
                seen.add(n);
                running.decrementAndGet();
            });
        }
        lanes.call("k", () -> null, LONG, "the last task");
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            expected.add(i);
        }
        assertEquals(expected, seen);
        assertTrue(concurrent.stream().allMatch(c -> c == 1), "never two at once");
        await("an idle key leaves no queue behind").until(() -> !lanes.busy("k"));
    }

    @Test
    void differentKeysRunInParallel() {
        CountDownLatch blocked = new CountDownLatch(1);
        lanes.execute("a", awaiting(blocked));
        assertEquals("b ran", lanes.call("b", () -> "b ran", LONG, "b"), "b does not wait for a");
        blocked.countDown();
    }

    @Test
    void aCallFromInsideATaskOfTheSameKeyRunsInline() {
        String result = lanes.call("k", () -> lanes.call("k", () -> "inner", LONG, "inner"), LONG, "outer");
        assertEquals("inner", result);
    }

    @Test
    void aFailingTaskDoesNotStopItsQueueAndItsExceptionReachesTheCaller() {
        lanes.execute("k", () -> {
            throw new IllegalStateException("first fails");
        });
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> lanes.call("k", () -> {
            throw new IllegalStateException("second fails");
        }, LONG, "second"));
        assertEquals("second fails", e.getMessage());
        assertEquals("third", lanes.call("k", () -> "third", LONG, "third"));
        Exception checked = assertThrows(IllegalStateException.class, () -> lanes.call("k", () -> {
            throw new java.io.IOException("io");
        }, LONG, "fourth"));
        assertTrue(checked.getCause() instanceof java.io.IOException);
    }

    @Test
    void aWaitPastItsBoundFailsAndTheTaskStillRunsLater() {
        CountDownLatch blocked = new CountDownLatch(1);
        List<String> ran = new CopyOnWriteArrayList<>();
        lanes.execute("k", awaiting(blocked));
        KeyedSerialExecutor.LaneTimeoutException timeout = assertThrows(KeyedSerialExecutor.LaneTimeoutException.class,
                () -> lanes.call("k", () -> ran.add("late"), Duration.ofMillis(200), "the queued task"));
        assertEquals("the queued task did not finish within 0.2 s", timeout.getMessage());
        blocked.countDown();
        await("the task the caller gave up on runs").until(() -> ran.equals(List.of("late")));
    }

    @Test
    void anInterruptedWaiterStopsWaitingAndKeepsItsInterrupt() throws Exception {
        CountDownLatch blocked = new CountDownLatch(1);
        lanes.execute("k", awaiting(blocked));
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicReference<Boolean> flag = new AtomicReference<>();
        Thread waiter = new Thread(() -> {
            try {
                lanes.call("k", () -> null, Duration.ofSeconds(60), "k");
            } catch (Throwable e) {
                thrown.set(e);
                flag.set(Thread.currentThread().isInterrupted());
            }
        });
        waiter.start();
        await().until(() -> waiter.getState() == Thread.State.TIMED_WAITING);
        waiter.interrupt();
        waiter.join(10_000);
        assertTrue(thrown.get() instanceof CancellationException, String.valueOf(thrown.get()));
        assertTrue(flag.get());
        blocked.countDown();
    }

    @Test
    void afterShutdownATaskIsRefusedAndForgottenSoTheKeyIsNotWedged() {
        ExecutorService dead = Executors.newSingleThreadExecutor();
        dead.shutdown();
        KeyedSerialExecutor closed = new KeyedSerialExecutor(dead);
        assertThrows(RejectedExecutionException.class, () -> closed.execute("k", () -> { }));
        assertFalse(closed.busy("k"));
        assertThrows(RejectedExecutionException.class, () -> closed.execute("k", () -> { }),
                "the next task is tried again, not queued behind a lost one");
    }
}
