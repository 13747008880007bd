package io.jsorc.loop.internal;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The loop's thread, {@code jsorc/loop}: a daemon thread made when the loop starts and ended by {@link #close}. */
final class ThreadScheduler implements Scheduler, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ThreadScheduler.class);

    private final ScheduledThreadPoolExecutor executor;

    ThreadScheduler(ClassLoader contextLoader) {
        executor = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "jsorc/loop");
            thread.setDaemon(true);
            thread.setContextClassLoader(contextLoader);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    @Override
    public Scheduled schedule(Runnable task, Duration delay) {
        Future<?> future = executor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
        return () -> future.cancel(false);
    }

    @Override
    public <T> Future<T> submit(Callable<T> task) {
        return executor.submit(task);
    }

    /**
     * Interrupts a running tick (every wait in it is interruptible and bounded) and waits for the thread to end, at
     * most {@code bound}.
     */
    void close(Duration bound) {
        // a check queued behind the running tick: its caller is released at once (CancellationException)
        executor.shutdownNow().forEach(never -> {
            if (never instanceof Future<?> future) {
                future.cancel(false);
            }
        });
        try {
            if (!executor.awaitTermination(bound.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("The JsOrc loop's thread did not end within {} s of its interrupt", bound.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(10));
    }
}
