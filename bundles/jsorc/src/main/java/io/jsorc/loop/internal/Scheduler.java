package io.jsorc.loop.internal;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;

/**
 * Where the loop's work runs: one thread, so ticks never overlap. The real one is {@link ThreadScheduler}; tests
 * drive the loop with a manual one and a controllable clock.
 */
interface Scheduler {

    /** A scheduled run that may be cancelled before it starts. */
    interface Scheduled {
        void cancel();
    }

    /** Runs {@code task} on the loop's thread after {@code delay}. */
    Scheduled schedule(Runnable task, Duration delay);

    /** Runs {@code task} on the loop's thread as soon as it is free. */
    <T> Future<T> submit(Callable<T> task);
}
