package io.jsorc.loop.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
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
}
