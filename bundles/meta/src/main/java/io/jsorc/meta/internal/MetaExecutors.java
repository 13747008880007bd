package io.jsorc.meta.internal;

import java.security.AccessController;
import java.security.PrivilegedAction;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads MetaService owns: {@code jsorc/transition-N} (serial transitions of instances and per-name registry
 * work), {@code jsorc/author-N} (bounded calls of service code, so a hung one can be abandoned) and
 * {@code jsorc/event-N} (listener delivery). Idle threads end after 30 s; {@link #shutdown} stops them all.
 *
 * <p>A new pool thread never keeps the class loader of whoever made the pool grow (pools grow on demand, often while
 * a service's code is on the stack): its context class loader is MetaService's own, and it is made in a privileged
 * block, so the access-control context it inherits (Java 17 captures the protection domains, hence the class
 * loaders, of every class on the creating stack) holds MetaService's domain only.
 */
final class MetaExecutors {

    private final ThreadPoolExecutor transitions = pool("jsorc/transition-");
    private final ThreadPoolExecutor authors = pool("jsorc/author-");
    private final ThreadPoolExecutor events = pool("jsorc/event-");

    ExecutorService transitions() {
        return transitions;
    }

    ExecutorService authors() {
        return authors;
    }

    ExecutorService events() {
        return events;
    }

    /** Stops every thread; waits up to {@code millis} for running work, then interrupts it. */
    void shutdown(long millis) {
        ThreadPoolExecutor[] all = {transitions, events, authors};
        for (ThreadPoolExecutor pool : all) {
            pool.shutdown();
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        for (ThreadPoolExecutor pool : all) {
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
        ClassLoader own = MetaExecutors.class.getClassLoader();
        return new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
                task -> newThread(task, prefix + counter.incrementAndGet(), own));
    }

    @SuppressWarnings("removal") // AccessController: the only way to keep callers' domains out of a new thread on 17
    private static Thread newThread(Runnable task, String name, ClassLoader loader) {
        return AccessController.doPrivileged((PrivilegedAction<Thread>) () -> {
            Thread thread = new Thread(null, task, name, 0, false); // no inherited thread-locals either
            thread.setDaemon(true);
            thread.setContextClassLoader(loader);
            return thread;
        });
    }
}
