package io.jsorc.api;

import io.jsorc.api.runtime.InstanceRuntime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;

/**
 * The daemons of one instance. Spawning and stopping are atomic with respect to each other: a spawn checks that
 * daemons are accepted and registers the thread under the same lock that a stop takes to refuse new ones and
 * collect the live ones, so no daemon can slip past a stop.
 *
 * <p>Thread-safety: thread-safe; no author code runs under the lock.
 */
final class Daemons {

    private record Daemon(String name, Thread thread, AutoCloseable stopper, long run) {
    }

    private final Logger log;
    private final Map<String, Daemon> live = new LinkedHashMap<>();
    /** Daemons being stopped (or left running after a stop), with the run that spawned them. */
    private final Map<Thread, Long> stopping = new java.util.WeakHashMap<>();
    private boolean accepting;

    Daemons(Logger log) {
        this.log = log;
    }

    /** From now on daemons are accepted (a start began). */
    synchronized void open() {
        accepting = true;
    }

    /**
     * Starts a daemon, or returns the live one of that name.
     *
     * @throws IllegalStateException when daemons are not accepted
     */
    synchronized Thread spawn(String name, Runnable body, AutoCloseable stopper, long run, InstanceRuntime runtime) {
        if (!accepting) {
            throw new IllegalStateException("Daemon " + name + " of " + runtime.serviceName()
                    + " refused: the service is not starting or running");
        }
        Daemon existing = live.get(name);
        if (existing != null && existing.thread().isAlive()) {
            return existing.thread();
        }
        Thread thread = runtime.newDaemonThread(name, body);
        live.put(name, new Daemon(name, thread, stopper, run));
        thread.start();
        return thread;
    }

    /** Refuses new daemons, then stops every live one within the stop timeout. */
    void stopAll(InstanceRuntime runtime) {
        List<Daemon> stopped;
        synchronized (this) {
            accepting = false;
            stopped = new ArrayList<>(live.values());
            live.clear();
            stopped.forEach(d -> stopping.put(d.thread(), d.run()));
        }
        stop(stopped, runtime);
    }

    /** Stops the named daemons (all when none is named); new ones stay accepted. */
    void stop(String[] names, InstanceRuntime runtime) {
        List<Daemon> stopped = new ArrayList<>();
        synchronized (this) {
            for (String name : names.length == 0 ? new ArrayList<>(live.keySet()) : List.of(names)) {
                Daemon daemon = live.remove(name);
                if (daemon != null) {
                    stopped.add(daemon);
                    stopping.put(daemon.thread(), daemon.run());
                }
            }
        }
        stop(stopped, runtime);
    }

    /** The run that spawned {@code thread}, when it is one of the daemons. */
    synchronized java.util.OptionalLong runOf(Thread thread) {
        for (Daemon daemon : live.values()) {
            if (daemon.thread() == thread) {
                return java.util.OptionalLong.of(daemon.run());
            }
        }
        return stopping.containsKey(thread) ? java.util.OptionalLong.of(stopping.get(thread))
                : java.util.OptionalLong.empty();
    }

    synchronized List<String> names() {
        List<String> names = new ArrayList<>();
        live.values().forEach(daemon -> {
            if (daemon.thread().isAlive()) {
                names.add(daemon.name());
            }
        });
        Collections.sort(names);
        return names;
    }

    /**
     * Interrupt all, close their stoppers (author code: each a bounded call, all at once on threads of their own),
     * then await them all; the whole stop shares one deadline, the stop timeout. The daemons left running are
     * reported.
     */
    private void stop(List<Daemon> targets, InstanceRuntime runtime) {
        if (targets.isEmpty()) {
            return;
        }
        long deadline = System.nanoTime() + runtime.stopTimeout().toNanos();
        for (Daemon daemon : targets) {
            log.info("Terminating {} ...", daemon.name());
            daemon.thread().interrupt();
        }
        List<Thread> stopping = new ArrayList<>();
        for (Daemon daemon : targets) {
            if (daemon.stopper() != null) {
                Duration bound = Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
                Thread thread = runtime.newDaemonThread("stopping " + daemon.name(),
                        () -> closeStopper(daemon, runtime, bound));
                thread.start();
                stopping.add(thread);
            }
        }
        // a stopper's call ends at the deadline plus the grace it gives an interrupted thread: wait for that too
        boolean interrupted = awaitAll(stopping, deadline + TimeUnit.SECONDS.toNanos(1));
        List<Thread> daemonThreads = new ArrayList<>();
        targets.forEach(daemon -> daemonThreads.add(daemon.thread()));
        if (!interrupted) {
            interrupted = awaitAll(daemonThreads, deadline);
        }
        for (Daemon daemon : targets) {
            if (daemon.thread().isAlive() && daemon.thread() != Thread.currentThread()) {
                runtime.abandoned("daemon " + daemon.name(), daemon.thread());
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Joins {@code threads} (never the current one) until {@code deadline}; whether the wait was interrupted. */
    private static boolean awaitAll(List<Thread> threads, long deadline) {
        for (Thread thread : threads) {
            long left = deadline - System.nanoTime();
            if (thread == Thread.currentThread() || left <= 0) {
                continue;
            }
            try {
                thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            } catch (InterruptedException e) {
                return true;
            }
        }
        return false;
    }

    private void closeStopper(Daemon daemon, InstanceRuntime runtime, Duration bound) {
        try {
            runtime.callAuthor("stopper " + daemon.name(), bound, () -> {
                daemon.stopper().close();
                return null;
            }, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.warn("The stopper of daemon {} of {} failed: {}", daemon.name(), runtime.serviceName(),
                    Errors.describe(e));
        }
    }
}
