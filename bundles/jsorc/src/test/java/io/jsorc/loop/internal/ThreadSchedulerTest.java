package io.jsorc.loop.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ThreadSchedulerTest {

    private static List<Thread> loopThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("jsorc/loop") && t.isAlive()).toList();
    }

    @Test
    void closeInterruptsARunningTickAndLeavesNoThread() throws Exception {
        ThreadScheduler scheduler = new ThreadScheduler(null);
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        scheduler.schedule(() -> {
            running.countDown();
            try {
                new CountDownLatch(1).await();          // a tick waiting on something that never comes
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
        }, Duration.ZERO);
        scheduler.schedule(() -> { }, Duration.ofHours(1));
        assertTrue(running.await(10, TimeUnit.SECONDS), "the tick ran on the loop thread");
        assertEquals(1, loopThreads().size());

        scheduler.close(Duration.ofSeconds(10));

        assertTrue(interrupted.await(0, TimeUnit.SECONDS), "the tick was interrupted");
        assertEquals(List.of(), loopThreads(), "no jsorc/loop thread left");
    }

    @Test
    void aCheckQueuedBehindARunningTickIsReleasedByCloseAndWorkRunsOnTheLoopsDaemonThread() throws Exception {
        ThreadScheduler scheduler = new ThreadScheduler(null);
        CountDownLatch running = new CountDownLatch(1);
        Future<String> first = scheduler.submit(() -> {
            running.countDown();
            Thread self = Thread.currentThread();
            new CountDownLatch(1).await();
            return self.getName();
        });
        Future<Thread> queued = scheduler.submit(Thread::currentThread);
        assertTrue(running.await(10, TimeUnit.SECONDS));
        Thread loopThread = loopThreads().get(0);
        assertTrue(loopThread.isDaemon());
        assertNull(loopThread.getContextClassLoader(), "pins no class loader");

        scheduler.close(Duration.ofSeconds(10));

        assertTrue(queued.isCancelled(), "its caller is released at once, not after the check bound");
        assertThrows(ExecutionException.class, first::get, "the running one was interrupted");
    }
}
