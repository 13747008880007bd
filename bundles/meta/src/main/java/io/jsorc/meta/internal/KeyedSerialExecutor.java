package io.jsorc.meta.internal;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks asynchronously on a shared executor, one at a time and in submission order per key; different keys
 * run in parallel. Thread-safe. A task that throws is logged and does not stop the key's queue.
 */
final class KeyedSerialExecutor {

    private static final Logger LOG = LoggerFactory.getLogger(KeyedSerialExecutor.class);

    /** The keys whose queue the current thread is draining. */
    private static final ThreadLocal<Set<Object>> DRAINING = ThreadLocal.withInitial(HashSet::new);

    private final Executor delegate;
    private final Map<Object, ArrayDeque<Runnable>> queues = new HashMap<>();

    KeyedSerialExecutor(Executor delegate) {
        this.delegate = delegate;
    }

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
     * Runs {@code task} in {@code key}'s order and waits for its result; inline when the current thread is already
     * running a task of {@code key} (re-entrant). An exception of the task is rethrown (checked ones wrapped).
     */
    <T> T call(Object key, Callable<T> task) {
        if (DRAINING.get().contains(key)) {
            return callInline(task);
        }
        CompletableFuture<T> done = new CompletableFuture<>();
        execute(key, () -> {
            try {
                done.complete(task.call());
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        });
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return done.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    throw rethrow(e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static <T> T callInline(Callable<T> task) {
        try {
            return task.call();
        } catch (Exception e) {
            throw rethrow(e);
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
