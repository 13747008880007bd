package io.jsorc.meta.internal;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks asynchronously on a shared executor, one at a time and in submission order per key; different keys
 * run in parallel. A task that throws is logged and does not stop the key's queue. Waiting for a task is always
 * bounded and interruptible.
 *
 * <p>Thread-safety: thread-safe; the queues are guarded by one monitor held only to enqueue and dequeue.
 */
final class KeyedSerialExecutor {

    private static final Logger LOG = LoggerFactory.getLogger(KeyedSerialExecutor.class);

    /** The keys whose queue the current thread is draining. */
    private static final ThreadLocal<Set<Object>> DRAINING = ThreadLocal.withInitial(HashSet::new);

    /** A wait for a lane that ran past its bound: the caller gave up waiting (the work itself goes on). */
    static final class LaneTimeoutException extends java.util.concurrent.CancellationException {
        private static final long serialVersionUID = 1L;

        LaneTimeoutException(String message) {
            super(message);
        }
    }

    private final Executor delegate;
    private final Map<Object, ArrayDeque<Runnable>> queues = new HashMap<>();

    KeyedSerialExecutor(Executor delegate) {
        this.delegate = delegate;
    }

    /**
     * Queues {@code task} behind the tasks of {@code key}.
     *
     * @throws RejectedExecutionException when the executor is shut down (the task is forgotten)
     */
    void execute(Object key, Runnable task) {
        boolean first;
        synchronized (queues) {
            ArrayDeque<Runnable> queue = queues.computeIfAbsent(key, k -> new ArrayDeque<>());
            first = queue.isEmpty();
            queue.add(task);
        }
        if (first) {
            try {
                delegate.execute(() -> drain(key));
            } catch (RejectedExecutionException e) {
                // shut down: forget the task, or every later task of this key would wait behind it forever
                synchronized (queues) {
                    ArrayDeque<Runnable> queue = queues.get(key);
                    if (queue != null) {
                        queue.remove(task);
                        if (queue.isEmpty()) {
                            queues.remove(key);
                        }
                    }
                }
                throw e;
            }
        }
    }

    /**
     * Runs {@code task} in {@code key}'s order and waits for its result at most {@code bound}; inline when the
     * current thread is already running a task of {@code key} (re-entrant). The task's exception is rethrown (checked
     * ones wrapped). A task the caller stopped waiting for still runs.
     *
     * @throws LaneTimeoutException past the bound
     * @throws CancellationException when the waiting thread was interrupted (its interrupt flag stays set)
     */
    <T> T call(Object key, Callable<T> task, Duration bound, String what) {
        if (DRAINING.get().contains(key)) {
            try {
                return task.call();
            } catch (Exception e) {
                throw rethrow(e);
            }
        }
        CompletableFuture<T> done = new CompletableFuture<>();
        execute(key, () -> {
            try {
                done.complete(task.call());
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        });
        try {
            return done.get(bound.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while waiting for " + what);
        } catch (ExecutionException e) {
            throw rethrow(e.getCause());
        } catch (TimeoutException e) {
            throw new LaneTimeoutException(what + " did not finish within " + AuthorCall.seconds(bound) + " s");
        }
    }

    /** Whether {@code key} has queued or running tasks (for tests and the leak check). */
    boolean busy(Object key) {
        synchronized (queues) {
            return queues.containsKey(key);
        }
    }

    private static RuntimeException rethrow(Throwable cause) {
        if (cause instanceof RuntimeException runtime) {
            return runtime;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        return new IllegalStateException(cause.getMessage(), cause);
    }

    private void drain(Object key) {
        DRAINING.get().add(key);
        try {
            drainQueue(key);
        } finally {
            DRAINING.get().remove(key);
        }
    }

    private void drainQueue(Object key) {
        while (true) {
            Runnable next;
            synchronized (queues) {
                next = queues.get(key).peek();
            }
            try {
                next.run();
            } catch (RuntimeException | Error e) {
                LOG.error("Task for {} failed", key, e);
            }
            synchronized (queues) {
                ArrayDeque<Runnable> queue = queues.get(key);
                queue.poll();
                if (queue.isEmpty()) {
                    queues.remove(key);
                    return;
                }
            }
        }
    }
}
