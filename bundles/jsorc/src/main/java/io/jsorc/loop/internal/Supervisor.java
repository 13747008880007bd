package io.jsorc.loop.internal;

import io.jsorc.api.ServiceState;
import io.jsorc.api.spi.Supervision;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.function.DoubleSupplier;

/**
 * What the loop remembers per {@code keep_alive} service: failures within the crash-loop window, consecutive failures
 * (the backoff grows with them), when it may be tried again, whether it is quarantined, since when it has been running.
 *
 * <p>The backoff after the n-th consecutive failure is {@code min(backoff_max, backoff_interval × 2^(n-1))} seconds,
 * less up to 20 % of jitter (so nodes and services do not retry in step, and the cap is never exceeded); a service that
 * ran {@code backoff_reset} seconds starts again from the base. {@code crash_loop_limit} failures within
 * {@code crash_loop_window} seconds quarantine it: the loop leaves it alone until {@link #forget}.
 *
 * <p>Thread-safety: every method is thread-safe (one lock, no foreign call under it).
 */
final class Supervisor {

    /** What a failure led to. */
    record Outcome(boolean quarantined, Instant backoffUntil, int failures) {
    }

    private static final class Watch {
        final Deque<Instant> failures = new ArrayDeque<>();
        int consecutive;
        /** Applies of its manifest the cluster side refused in a row (a backoff, not failures of the service). */
        int clusterRefusals;
        Instant backoffUntil;
        Instant quarantinedSince;
        Instant runningSince;
        /** The instance seen RUNNING since {@link #runningSince} (identity only: it is never called). */
        Object runningInstance;
        String note;
    }

    private final Map<String, Watch> watches = new HashMap<>();
    private final DoubleSupplier random;

    /** @param random values in [0, 1) for the jitter */
    Supervisor(DoubleSupplier random) {
        this.random = random;
    }

    private Watch watch(String name) {
        return watches.computeIfAbsent(name, n -> new Watch());
    }

    /**
     * Forgets everything about {@code name} (an operator refreshed it, or changed its config).
     *
     * @return whether it was quarantined
     */
    synchronized boolean forget(String name) {
        Watch gone = watches.remove(name);
        return gone != null && gone.quarantinedSince != null;
    }

    /** Forgets every service. */
    synchronized void forgetAll() {
        watches.clear();
    }

    /** Why the loop leaves {@code name} alone at {@code now} (quarantine, backoff), or null when it may act. */
    synchronized String blocked(String name, Instant now) {
        Watch watch = watches.get(name);
        if (watch == null) {
            return null;
        }
        if (watch.quarantinedSince != null) {
            return "quarantined since " + watch.quarantinedSince + ", left alone";
        }
        if (watch.backoffUntil != null && now.isBefore(watch.backoffUntil)) {
            return "backing off until " + watch.backoffUntil;
        }
        return null;
    }

    /**
     * {@code instance} of {@code name} is running at {@code now}: remembers it and since when; after
     * {@code backoff_reset} its backoff starts over. A quarantined service found running (an operator started it)
     * is out of quarantine: returns true then.
     */
    synchronized boolean running(String name, Object instance, Instant now, LoopSettings settings) {
        Watch watch = watch(name);
        if (watch.runningInstance != instance) {
            watch.runningInstance = instance;
            watch.runningSince = now;
        }
        watch.backoffUntil = null;
        if (watch.consecutive > 0
                && !now.isBefore(watch.runningSince.plusSeconds(settings.backoffReset()))) {
            watch.consecutive = 0;
        }
        boolean lifted = watch.quarantinedSince != null;
        watch.quarantinedSince = null;
        return lifted;
    }

    /**
     * Whether {@code instance} is the one the loop last saw RUNNING (so, now not running, it stopped by itself);
     * forgets it either way.
     */
    synchronized boolean crashed(String name, Object instance) {
        Watch watch = watches.get(name);
        if (watch == null || watch.runningInstance == null) {
            return false;
        }
        boolean same = watch.runningInstance == instance;
        watch.runningInstance = null;
        watch.runningSince = null;
        return same;
    }

    /** Counts a failure at {@code now}: backoff, or quarantine once the crash-loop limit is reached. */
    synchronized Outcome failed(String name, Instant now, LoopSettings settings) {
        Watch watch = watch(name);
        watch.runningSince = null;
        watch.runningInstance = null;
        watch.failures.addLast(now);
        Instant windowStart = now.minusSeconds(settings.crashLoopWindow());
        while (!watch.failures.isEmpty() && !watch.failures.peekFirst().isAfter(windowStart)) {
            watch.failures.removeFirst();
        }
        watch.consecutive++;
        if (watch.failures.size() >= settings.crashLoopLimit()) {
            watch.quarantinedSince = now;
            watch.backoffUntil = null;
            return new Outcome(true, null, watch.failures.size());
        }
        watch.backoffUntil = now.plus(backoff(watch.consecutive, settings));
        return new Outcome(false, watch.backoffUntil, watch.failures.size());
    }

    /**
     * The cluster could not take the service's manifest (API server away, 5xx, timeouts): back off like after a
     * failure, without counting one towards quarantine (the service did not fail).
     */
    synchronized Instant clusterFailed(String name, Instant now, LoopSettings settings) {
        Watch watch = watch(name);
        watch.clusterRefusals++;
        watch.backoffUntil = now.plus(backoff(watch.clusterRefusals, settings));
        return watch.backoffUntil;
    }

    /** The cluster side applied the service's manifest: its backoff starts again from the first step. */
    synchronized void clusterApplied(String name) {
        Watch watch = watches.get(name);
        if (watch != null) {
            watch.clusterRefusals = 0;
        }
    }

    /** The backoff after {@code consecutive} failures in a row, jitter included. */
    Duration backoff(int consecutive, LoopSettings settings) {
        double nominal = Math.min(settings.backoffMax(),
                settings.backoffInterval() * Math.pow(2, Math.min(consecutive - 1, 30)));
        double jittered = nominal * (1 - 0.2 * random.getAsDouble());
        return Duration.ofMillis(Math.round(jittered * 1000));
    }

    /** Remembers what the loop did or waits for, for status. */
    synchronized void note(String name, String note) {
        watch(name).note = note;
    }

    /** The status line of one service. */
    synchronized Supervision view(String name, ServiceState state, String lastError, Instant now,
            LoopSettings settings) {
        Watch watch = watches.get(name);
        if (watch == null) {
            return new Supervision(name, state, 0, 0, null, null, lastError, null);
        }
        Instant windowStart = now.minusSeconds(settings.crashLoopWindow());
        int failures = (int) watch.failures.stream().filter(t -> t.isAfter(windowStart)).count();
        Instant until = watch.backoffUntil != null && now.isBefore(watch.backoffUntil) ? watch.backoffUntil : null;
        return new Supervision(name, state, failures, watch.consecutive, until, watch.quarantinedSince, lastError,
                watch.note);
    }
}
