package io.jsorc.api;

import io.jsorc.api.runtime.InstanceRuntime;
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

    private record Daemon(String name, Thread thread, AutoCloseable stopper) {
    }

    private final Logger log;
    private final Map<String, Daemon> live = new LinkedHashMap<>();
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
    synchronized Thread spawn(String name, Runnable body, AutoCloseable stopper, InstanceRuntime runtime) {
        if (!accepting) {
            throw new IllegalStateException("Daemon " + name + " of " + runtime.serviceName()
                    + " refused: the service is not starting or running");
        }
        Daemon existing = live.get(name);
        if (existing != null && existing.thread().isAlive()) {
            return existing.thread();
        }
        Thread thread = runtime.newDaemonThread(name, body);
        live.put(name, new Daemon(name, thread, stopper));
        thread.start();
        return thread;
    }

    /** Refuses new daemons, then stops every live one within the stop timeout. */
    void stopAll(InstanceRuntime runtime) {
        List<Daemon> stopping;
        synchronized (this) {
            accepting = false;
            stopping = new ArrayList<>(live.values());
            live.clear();
        }
        stop(stopping, runtime);
    }

    /** Stops the named daemons (all when none is named); new ones stay accepted. */
    void stop(String[] names, InstanceRuntime runtime) {
        List<Daemon> stopping = new ArrayList<>();
        synchronized (this) {
            for (String name : names.length == 0 ? new ArrayList<>(live.keySet()) : List.of(names)) {
                Daemon daemon = live.remove(name);
                if (daemon != null) {
                    stopping.add(daemon);
                }
            }
        }
        stop(stopping, runtime);
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

    /** Interrupt all, close their stoppers, then await them all up to one deadline; report the ones left. */
    private void stop(List<Daemon> stopping, InstanceRuntime runtime) {
        if (stopping.isEmpty()) {
            return;
        }
        for (Daemon daemon : stopping) {
            log.info("Terminating {} ...", daemon.name());
            daemon.thread().interrupt();
        }
        for (Daemon daemon : stopping) {
            if (daemon.stopper() != null) {
                try {
                    daemon.stopper().close();
                } catch (Exception e) {
                    log.warn("The stopper of daemon {} of {} failed: {}", daemon.name(), runtime.serviceName(),
                            Errors.describe(e));
                }
            }
        }
        long deadline = System.nanoTime() + runtime.stopTimeout().toNanos();
        boolean interrupted = false;
        for (Daemon daemon : stopping) {
            Thread thread = daemon.thread();
            long left = deadline - System.nanoTime();
            if (thread == Thread.currentThread() || left <= 0 || interrupted) {
                continue;
            }
            try {
                thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        for (Daemon daemon : stopping) {
            if (daemon.thread().isAlive() && daemon.thread() != Thread.currentThread()) {
                runtime.abandoned("daemon " + daemon.name(), daemon.thread());
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
