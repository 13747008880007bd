package io.jsorc.meta.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Bounded calls of author code: results, failures, timeouts, abandonment and what they leave behind. */
class AuthorCallTest {

    final ExecutorService pool = Executors.newCachedThreadPool(r -> new Thread(r, "pool"));
    final List<String> ignored = new CopyOnWriteArrayList<>();
    final ClassLoader bundleLoader = new URLClassLoader(new URL[0], null);

    @AfterEach
    void stop() throws Exception {
        pool.shutdownNow();
        pool.awaitTermination(5, TimeUnit.SECONDS);
    }

    <T> T call(String what, java.util.concurrent.Callable<T> code, java.util.function.Consumer<? super T> late,
            Duration bound) throws Exception {
        return AuthorCall.call(pool, new AuthorCall<>("jsorc/svc/" + what, what, bundleLoader, code, late),
                bound, (w, thread, c) -> ignored.add(w + "@" + thread.getName()));
    }

    @Test
    void theResultComesBackFromANamedThreadWithTheBundlesContextClassLoader() throws Exception {
        AtomicReference<Thread> ran = new AtomicReference<>();
        String result = call("run", () -> {
            ran.set(Thread.currentThread());
            return Thread.currentThread().getName() + "|" + (Thread.currentThread().getContextClassLoader() == bundleLoader);
        }, null, Duration.ofSeconds(5));
        assertEquals("jsorc/svc/run|true", result);
        awaitIdle(ran.get());
        assertEquals("pool", ran.get().getName(), "the pool thread gets its name back");
        assertFalse(ran.get().getContextClassLoader() == bundleLoader, "and does not keep the bundle's loader");
    }

    @Test
    void anExceptionOfTheCallIsRethrownAsItIs() {
        IOException boom = new IOException("boom");
        IOException thrown = assertThrows(IOException.class, () -> call("run", () -> {
            throw boom;
        }, null, Duration.ofSeconds(5)));
        assertSame(boom, thrown);
        AssertionError error = assertThrows(AssertionError.class, () -> call("run", () -> {
            throw new AssertionError("fatal");
        }, null, Duration.ofSeconds(5)));
        assertEquals("fatal", error.getMessage());
    }

    @Test
    void aCallThatReactsToInterruptIsTimedOutWithItsStackAndLeavesNothing() {
        AtomicReference<Thread> ran = new AtomicReference<>();
        TimeoutException timeout = assertThrows(TimeoutException.class, () -> call("run", () -> {
            ran.set(Thread.currentThread());
            new CountDownLatch(1).await();
            return "never";
        }, null, Duration.ofMillis(300)));
        assertEquals("run did not finish within 0.3 s", timeout.getMessage());
        assertTrue(timeout.getStackTrace().length > 0 && List.of(timeout.getStackTrace()).toString()
                .contains("CountDownLatch.await"), "the stack is the hung thread's");
        assertEquals(List.of(), ignored, "it ended on the interrupt: nothing to report");
        awaitIdle(ran.get());
    }

    @Test
    void aCallThatIgnoresInterruptIsReportedOnceAndItsLateResultGoesToTheConsumer() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<String> late = new CopyOnWriteArrayList<>();
        assertThrows(TimeoutException.class, () -> call("run", () -> {
            while (release.getCount() > 0) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    // ignored on purpose
                }
            }
            return "late app";
        }, late::add, Duration.ofMillis(200)));
        assertEquals(List.of("run@jsorc/svc/run"), ignored);
        release.countDown();
        org.awaitility.Awaitility.await("the late result handed to the consumer").until(() -> late.size() == 1);
        assertEquals(List.of("late app"), late);
    }

    @Test
    void abandonEndsTheWaitAtOnceWithTheReason() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        AuthorCall<String> call = new AuthorCall<>("jsorc/svc/run", "run", bundleLoader, () -> {
            started.countDown();
            new CountDownLatch(1).await();
            return "never";
        }, null);
        pool.execute(call);
        started.await();
        Thread abandoner = new Thread(() -> call.abandon("the service is being removed"));
        long begin = System.nanoTime();
        abandoner.start();
        CancellationException cancelled = assertThrows(CancellationException.class,
                () -> call.await(Duration.ofSeconds(30), (w, t, c) -> ignored.add(w)));
        assertTrue(System.nanoTime() - begin < TimeUnit.SECONDS.toNanos(10), "not the 30 s bound");
        assertEquals("run abandoned: the service is being removed", cancelled.getMessage());
    }

    @Test
    void aCallAbandonedBeforeItBeganNeverRunsTheAuthorsCode() throws Exception {
        List<String> ran = new CopyOnWriteArrayList<>();
        AuthorCall<String> call = new AuthorCall<>("jsorc/svc/run", "run", bundleLoader, () -> {
            ran.add("ran");
            return "x";
        }, null);
        call.abandon("removed");
        assertThrows(CancellationException.class, () -> call.await(Duration.ofMillis(50), (w, t, c) -> { }));
        call.run();
        assertEquals(List.of(), ran);
    }

    @Test
    void anInterruptedWaiterAbandonsTheCallAndKeepsItsInterrupt() throws Exception {
        AtomicReference<Throwable> seen = new AtomicReference<>();
        AtomicReference<Boolean> flag = new AtomicReference<>();
        Thread waiter = new Thread(() -> {
            try {
                call("run", () -> {
                    new CountDownLatch(1).await();
                    return null;
                }, null, Duration.ofSeconds(30));
            } catch (Throwable e) {
                seen.set(e);
                flag.set(Thread.currentThread().isInterrupted());
            }
        });
        waiter.start();
        org.awaitility.Awaitility.await("the waiter waits").until(() -> waiter.getState() == Thread.State.TIMED_WAITING);
        waiter.interrupt();
        waiter.join(10_000);
        assertTrue(seen.get() instanceof InterruptedException, String.valueOf(seen.get()));
        assertTrue(flag.get());
    }

    @Test
    void boundsAreShownInWholeOrTenthsOfSeconds() {
        assertEquals("30", AuthorCall.seconds(Duration.ofSeconds(30)));
        assertEquals("1.5", AuthorCall.seconds(Duration.ofMillis(1500)));
    }

    @Test
    void aLateNullResultIsNotHandedToTheConsumer() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<Object> late = new CopyOnWriteArrayList<>();
        AtomicReference<AuthorCall<Object>> call = new AtomicReference<>();
        call.set(new AuthorCall<>("jsorc/svc/closeApp", "closeApp", bundleLoader, () -> {
            while (release.getCount() > 0) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    // ignored on purpose
                }
            }
            return null;
        }, late::add));
        assertThrows(TimeoutException.class, () -> AuthorCall.call(pool, call.get(), Duration.ofMillis(100),
                (w, t, c) -> { }));
        release.countDown();
        org.awaitility.Awaitility.await("the late call ended").until(call.get()::isDone);
        assertEquals(List.of(), late, "a late null is nothing to close");
        assertNull(call("closeApp", () -> null, late::add, Duration.ofSeconds(5)), "nor is an in-time null late");
    }

    private static void awaitIdle(Thread thread) {
        org.awaitility.Awaitility.await("the pool thread to finish the call").atMost(Duration.ofSeconds(5))
                .until(() -> thread.getName().equals("pool"));
    }
}
