package io.jsorc.loop.internal;

import io.jsorc.api.Hook;
import io.jsorc.api.MetaService;
import io.jsorc.api.ServiceInfo;
import io.jsorc.api.ServiceProperties;
import io.jsorc.api.ServiceState;
import io.jsorc.api.spi.AutomationStatus;
import io.jsorc.api.spi.ManifestApplier;
import io.jsorc.api.spi.Supervision;
import io.jsorc.api.spi.TickReport;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JsOrc loop: "JsOrc will try to run all not RUNNING services but tagged to keep alive".
 *
 * <p>Ticks are single-flight, on the scheduler's one thread, and at most one is pending: the first 1 s after
 * automation is turned on, each next one {@code backoff_interval} seconds after the previous one ended. A tick
 * checks the {@code keep_alive} services in order, each in isolation ({@link KeepAlive}). New settings
 * ({@link #configure}) apply from the next tick; turning automation off cancels the pending tick and ends a running
 * one after the service it is checking.
 *
 * <p>Thread-safety: every method is thread-safe. One lock guards the schedule and the settings; no foreign call
 * (MetaService, a service, the cluster side) is made under it.
 */
final class Loop {

    private static final Logger LOG = LoggerFactory.getLogger(Loop.class);

    /** How long {@link #check} waits for its tick: a tick resets services one after another, each bounded. */
    static final Duration CHECK_BOUND = Duration.ofMinutes(5);

    private final MetaService meta;
    private final Clock clock;
    private final Scheduler scheduler;
    private final Supervisor supervisor;
    private final Supplier<ManifestApplier> cluster;
    private final KeepAlive keepAlive;

    private final Object lock = new Object();
    private LoopSettings settings = LoopSettings.OFF;
    private long sequence = Long.MIN_VALUE;
    /** The pending tick and its generation: a tick that started for an older generation does nothing. */
    private Scheduler.Scheduled pending;
    private long generation;
    private Instant nextTick;
    private boolean inTick;
    private boolean closed;
    private long ticks;
    private Instant lastTick;
    private Duration lastTickDuration;

    Loop(MetaService meta, Clock clock, Scheduler scheduler, Supervisor supervisor, Supplier<ManifestApplier> cluster) {
        this.meta = meta;
        this.clock = clock;
        this.scheduler = scheduler;
        this.supervisor = supervisor;
        this.cluster = cluster;
        this.keepAlive = new KeepAlive(meta, clock, supervisor, cluster);
    }

    private LoopSettings settings() {
        synchronized (lock) {
            return settings;
        }
    }

    // ------------------------------------------------------------ what MetaService and the operator tell it

    /**
     * {@code META_CONFIG} as MetaService read it ({@code sequence} orders the reads; a stale one is ignored): from
     * the next tick on. Turning automation on schedules the first tick 1 s later, unless a tick is pending or
     * running; turning it off cancels the pending one.
     */
    void configure(long readSequence, Map<String, Object> values) {
        LoopSettings next = LoopSettings.from(values);
        boolean toggled;
        synchronized (lock) {
            if (readSequence <= sequence || closed) {
                return;
            }
            sequence = readSequence;
            toggled = next.automation() != settings.automation();
            settings = next;
            if (next.automation() && pending == null && !inTick) {
                schedule(Duration.ofSeconds(1));
            } else if (!next.automation()) {
                cancelPending();
            }
        }
        for (String problem : next.problems()) {
            LOG.warn("META_CONFIG.{}", problem);
        }
        if (toggled) {
            LOG.info(next.automation() ? "JsOrc automation on: keeping {} running, first check in 1 s"
                    : "JsOrc automation off: no more checks ({} left as they are)", next.keepAlive());
        }
    }

    /** An operator refreshed {@code name} ({@code meta}: everything): its failures and quarantine are forgotten. */
    void refreshed(String name) {
        if (ServiceProperties.META.equals(name)) {
            supervisor.forgetAll();
        } else if (supervisor.forget(name)) {
            LOG.info("Service {} is out of quarantine (refreshed)", name);
        }
    }

    /** Glob {@code glob} changed: a keep_alive service reading it is given a fresh start. */
    void configChanged(String glob) {
        for (String name : settings().keepAlive()) {
            Optional<ServiceInfo> info = meta.info(name);
            if (info.isPresent() && glob.equals(info.get().configGlob()) && supervisor.forget(name)) {
                LOG.info("Service {} is out of quarantine ({} changed)", name, glob);
            }
        }
    }

    boolean isRunning() {
        synchronized (lock) {
            return !closed && settings.automation();
        }
    }

    /** No more ticks and no more checks; a running tick ends at the scheduler's interrupt. */
    void close() {
        synchronized (lock) {
            closed = true;
            cancelPending();
        }
    }

    // ------------------------------------------------------------ ticks

    /** Under the lock. */
    private void schedule(Duration delay) {
        long mine = ++generation;
        pending = scheduler.schedule(() -> scheduledTick(mine), delay);
        nextTick = clock.instant().plus(delay);
    }

    /** Under the lock. */
    private void cancelPending() {
        if (pending != null) {
            pending.cancel();
        }
        pending = null;
        nextTick = null;
        generation++;
    }

    private void scheduledTick(long mine) {
        synchronized (lock) {
            if (closed || mine != generation || pending == null) {
                return;            // cancelled or replaced after it had started: not this tick's turn
            }
            pending = null;
            nextTick = null;
            inTick = true;
        }
        try {
            runTick(false);
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("A JsOrc tick failed: {}", describe(e), e);   // the next one is scheduled all the same
        }
    }

    /** A tick, then the next one {@code backoff_interval} after it, unless one is pending or automation is off. */
    private TickReport runTick(boolean explicit) {
        try {
            return tick(explicit);
        } finally {
            synchronized (lock) {
                inTick = false;
                if (!closed && settings.automation() && pending == null) {
                    schedule(Duration.ofSeconds(settings.backoffInterval()));
                }
            }
        }
    }

    /**
     * Runs a tick now (after the running one, if any) and returns what it did; the next scheduled tick then comes
     * {@code backoff_interval} seconds after this one.
     */
    TickReport check() throws InterruptedException, TimeoutException {
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("The JsOrc loop is stopping: no check");
            }
        }
        Future<TickReport> done;
        try {
            done = scheduler.submit(() -> {
                synchronized (lock) {
                    if (closed) {
                        throw new IllegalStateException("The JsOrc loop is stopping: no check");
                    }
                    cancelPending();
                    inTick = true;
                }
                return runTick(true);
            });
        } catch (RejectedExecutionException e) {
            throw new IllegalStateException("The JsOrc loop is stopping: no check", e);
        }
        try {
            return done.get(CHECK_BOUND.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IllegalStateException stopping ? stopping
                    : new IllegalStateException("The check failed: " + describe(e.getCause()), e.getCause());
        } catch (CancellationException e) {
            throw new IllegalStateException("The JsOrc loop stopped before the check ran", e);
        } catch (TimeoutException e) {
            throw new TimeoutException("The tick is still running after " + CHECK_BOUND.toMinutes()
                    + " minutes; it goes on: see jsorc:status");
        }
    }

    /** A tick; an explicit one ({@link #check}) also applies the manifests of RUNNING services. */
    private TickReport tick(boolean explicit) {
        LoopSettings current = settings();
        Instant started = clock.instant();
        List<String> actions = new ArrayList<>();
        if (!current.automation()) {
            actions.add("automation is off (META_CONFIG.automation is false): nothing checked");
        } else {
            checkAll(current, actions, explicit);
        }
        Duration took = Duration.between(started, clock.instant());
        synchronized (lock) {
            ticks++;
            lastTick = started;
            lastTickDuration = took;
        }
        LOG.debug("JsOrc tick: {}", actions);
        return new TickReport(started, took, actions);
    }

    private void checkAll(LoopSettings current, List<String> actions, boolean explicit) {
        Hook hook;
        try {
            hook = meta.buildHook();
        } catch (RuntimeException e) {
            LOG.warn("JsOrc tick: could not build a hook: {}", describe(e));
            actions.add("could not build a hook, nothing checked: " + describe(e));
            return;
        }
        for (String name : current.keepAlive()) {
            if (!settings().automation() || Thread.currentThread().isInterrupted()) {
                actions.add("automation turned off or the loop stopped: the rest of this tick skipped");
                return;
            }
            try {
                actions.add(name + ": " + keepAlive.check(name, hook, current, explicit));
            } catch (RuntimeException | LinkageError e) {   // LinkageError: a service bundle refreshed under us
                String why = describe(e);
                LOG.warn("Error checking {} !: {}", name, why);
                supervisor.note(name, "error while checking: " + why);
                actions.add(name + ": error while checking: " + why);
            }
        }
    }

    static String describe(Throwable e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
    }

    // ------------------------------------------------------------ status

    AutomationStatus status() {
        LoopSettings current = settings();
        Instant now = clock.instant();
        List<Supervision> services = new ArrayList<>();
        for (String name : current.keepAlive()) {
            services.add(view(name, now, current));
        }
        ManifestApplier applier = cluster.get();
        String where = applier != null ? applier.describe()
                : "Kubernetes is not configured: manifests are not applied, services with one are supervised locally";
        synchronized (lock) {
            boolean running = !closed && settings.automation() && (pending != null || inTick);
            return new AutomationStatus(settings.automation(), running, ticks, lastTick, lastTickDuration, nextTick,
                    settings.backoffInterval(), where, services);
        }
    }

    Optional<Supervision> supervision(String name) {
        LoopSettings current = settings();
        if (!current.automation() || !current.keepAlive().contains(name)) {
            return Optional.empty();
        }
        return Optional.of(view(name, clock.instant(), current));
    }

    private Supervision view(String name, Instant now, LoopSettings current) {
        Optional<ServiceInfo> info = meta.info(name);
        ServiceState state = info.map(ServiceInfo::state).orElse(null);
        String lastError = info.map(ServiceInfo::lastError).orElse(null);
        Supervision view = supervisor.view(name, state, lastError, now, current);
        if (info.isEmpty() && view.note() == null) {
            return new Supervision(name, null, 0, 0, null, null, null, "not a service (yet): waiting for its bundle");
        }
        return view;
    }
}
