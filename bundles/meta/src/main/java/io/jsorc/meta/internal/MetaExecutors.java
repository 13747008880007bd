package io.jsorc.meta.internal;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads MetaService owns: {@code jsorc/transition-N} (serial transitions of instances and per-name
 * registry work), {@code jsorc/run-N} (calls of {@code run}, so a hung one can be timed out) and
 * {@code jsorc/event-N} (listener delivery). Idle threads die after 30 s; {@link #shutdown} stops them all.
 */
final class MetaExecutors {

    private final ThreadPoolExecutor transitions = pool("jsorc/transition-");
    private final ThreadPoolExecutor runs = pool("jsorc/run-");
    private final ThreadPoolExecutor events = pool("jsorc/event-");

    ExecutorService transitions() {
        return transitions;
    }

    ExecutorService runs() {
        return runs;
    }

    ExecutorService events() {
        return events;
    }

    /** Stops every thread; waits up to {@code millis} for running work, then interrupts it. */
    void shutdown(long millis) {
        for (ThreadPoolExecutor pool : new ThreadPoolExecutor[] {transitions, events, runs}) {
            pool.shutdown();
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        for (ThreadPoolExecutor pool : new ThreadPoolExecutor[] {transitions, events, runs}) {
            try {
                long left = Math.max(0, deadline - System.nanoTime());
                if (!pool.awaitTermination(left, TimeUnit.NANOSECONDS)) {
                    pool.shutdownNow();
                }
            } catch (InterruptedException e) {
                pool.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
    }

    private static ThreadPoolExecutor pool(String prefix) {
        AtomicInteger counter = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS,
                new SynchronousQueue<>(), task -> {
                    Thread thread = new Thread(task, prefix + counter.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        return pool;
    }
}
