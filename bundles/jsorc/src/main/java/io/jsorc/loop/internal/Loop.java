package io.jsorc.loop.internal;

import io.jsorc.api.CommonService;
import io.jsorc.api.Hook;
import io.jsorc.api.MetaService;
import io.jsorc.api.ServiceInfo;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JsOrc loop: "JsOrc will try to run all not RUNNING services but tagged to keep alive".
 *
 * <p>Ticks are single-flight, on the scheduler's one thread: the first 1 s after automation is turned on, each next
 * one {@code backoff_interval} seconds after the previous one ended. A tick checks the {@code keep_alive} services in
 * order, each in isolation (an error is logged and the next one is checked): a RUNNING service is left alone; one in
 * backoff or quarantine is left alone; any other is reset (its config re-read, started when enabled) — after its
 * manifest was applied and its workload is ready, when it has a manifest and a {@link ManifestApplier} is there. A
 * name that is no service yet is reported and picked up when its bundle arrives. New settings
 * ({@link #configure}) apply from the next tick; turning automation off cancels the next tick and ends the running
 * one after the service it is checking.
 *
 * <p>Thread-safety: every method is thread-safe; the ticks themselves run one at a time.
 */
final class Loop {

    private static final Logger LOG = LoggerFactory.getLogger(Loop.class);

    /** How long {@link #check} waits for its tick: a tick resets services one after another, each bounded. */
    static final Duration CHECK_BOUND = Duration.ofMinutes(5);

    private final MetaService meta;
    private final Clock clock;
    private final Scheduler scheduler;
    private final Supplier<ManifestApplier> cluster;
    private final Supervisor supervisor;
    private volatile LoopSettings settings = LoopSettings.OFF;

    private final Object lock = new Object();
    private Scheduler.Scheduled pending;
    private Instant nextTick;
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
    }

    // ------------------------------------------------------------ what MetaService and the operator tell it

    /** New {@code META_CONFIG} values: from the next tick on; turning automation on or off takes effect now. */
    void configure(Map<String, Object> values) {
        LoopSettings next = LoopSettings.from(values);
        LoopSettings previous = settings;
        settings = next;
        for (String problem : next.problems()) {
            LOG.warn("META_CONFIG.{}", problem);
        }
        synchronized (lock) {
            if (closed) {
                return;
            }
            if (next.automation() && pending == null) {
                schedule(Duration.ofSeconds(1));
            } else if (!next.automation() && pending != null) {
                pending.cancel();
                pending = null;
                nextTick = null;
            }
        }
        if (next.automation() != previous.automation()) {
            LOG.info(next.automation() ? "JsOrc automation on: keeping {} running, first check in 1 s"
                    : "JsOrc automation off: no more checks ({} left as they are)", next.keepAlive());
        }
    }

    /** An operator refreshed {@code name} ({@code meta}: everything): its failures and quarantine are forgotten. */
    void refreshed(String name) {
        if (io.jsorc.api.ServiceProperties.META.equals(name)) {
            supervisor.forgetAll();
        } else if (supervisor.forget(name)) {
            LOG.info("Service {} is out of quarantine (refreshed)", name);
        }
    }

    /** Glob {@code glob} changed: a keep_alive service reading it is given a fresh start. */
    void configChanged(String glob) {
        for (String name : settings.keepAlive()) {
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

    /** No more ticks; a running one ends at the scheduler's interrupt. */
    void close() {
        synchronized (lock) {
            closed = true;
            if (pending != null) {
                pending.cancel();
                pending = null;
                nextTick = null;
            }
        }
    }

    // ------------------------------------------------------------ ticks

    private void schedule(Duration delay) {
        pending = scheduler.schedule(this::scheduledTick, delay);
        nextTick = clock.instant().plus(delay);
    }

    private void scheduledTick() {
        synchronized (lock) {
            pending = null;
            nextTick = null;
            if (closed) {
                return;
            }
        }
        try {
            tick();
        } finally {
            scheduleNext();
        }
    }

    /** The next tick, {@code backoff_interval} after this one ended, unless one is pending or automation is off. */
    private void scheduleNext() {
        synchronized (lock) {
            if (!closed && settings.automation() && pending == null) {
                schedule(Duration.ofSeconds(settings.backoffInterval()));
            }
        }
    }

    /**
     * Runs a tick now (after the running one, if any) and returns what it did; the next scheduled tick then comes
     * {@code backoff_interval} seconds after this one.
     */
    TickReport check() throws InterruptedException, TimeoutException {
        Future<TickReport> done = scheduler.submit(() -> {
            synchronized (lock) {
                if (pending != null) {
                    pending.cancel();
                    pending = null;
                    nextTick = null;
                }
            }
            try {
                return tick();
            } finally {
                scheduleNext();
            }
        });
        try {
            return done.get(CHECK_BOUND.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("The check failed: " + e.getCause(), e.getCause());
        } catch (CancellationException e) {
            throw new IllegalStateException("The JsOrc loop stopped before the check ran", e);
        }
    }

    private TickReport tick() {
        LoopSettings current = settings;
        Instant started = clock.instant();
        if (!current.automation()) {
            return new TickReport(started, Duration.ZERO,
                    List.of("automation is off (META_CONFIG.automation is false): nothing checked"));
        }
        List<String> actions = new ArrayList<>();
        Hook hook = meta.buildHook();
        for (String name : current.keepAlive()) {
            if (!settings.automation() || Thread.currentThread().isInterrupted()) {
                actions.add("automation turned off or the loop stopped: the rest of this tick skipped");
                break;
            }
            try {
                actions.add(name + ": " + checkOne(name, hook, current));
            } catch (RuntimeException e) {
                String why = describe(e);
                LOG.warn("Error checking {} !: {}", name, why);
                supervisor.note(name, "error while checking: " + why);
                actions.add(name + ": error while checking: " + why);
            }
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

    /** One keep_alive service; returns what was done, one line. */
    private String checkOne(String name, Hook hook, LoopSettings current) {
        if (meta.info(name).isEmpty()) {
            supervisor.note(name, "not a service (yet): waiting for its bundle");
            return "not a service (yet): waiting for its bundle";
        }
        CommonService<?> service = meta.getService(name, hook);
        Instant now = clock.instant();
        if (service.isRunning()) {
            supervisor.running(name, now, current);
            return "RUNNING, left alone";
        }
        if (supervisor.wasRunning(name)) {
            if (service.isEnabled()) {
                String line = failure(name, now, current, "stopped running (" + service.getState()
                        + (service.getLastError() == null ? "" : ": " + service.getLastError()) + ")");
                if (supervisor.blocked(name, now) != null) {
                    return line;
                }
            } else {
                supervisor.notRunning(name);
            }
        }
        String blocked = supervisor.blocked(name, now);
        if (blocked != null) {
            return service.getState() + ", " + blocked;
        }
        String applied = applyManifest(name, service, current);
        if (applied != null) {
            return applied;
        }
        try {
            meta.reset(service, hook, true);
        } catch (RuntimeException e) {
            return failure(name, clock.instant(), current, "reset failed: " + describe(e));
        }
        if (service.isRunning()) {
            supervisor.running(name, clock.instant(), current);
            boolean local = service.getManifest() != null && !service.getManifest().isEmpty() && cluster.get() == null;
            supervisor.note(name, "restarted by the loop at " + now
                    + (local ? "; manifest not applied: Kubernetes is not configured; supervised locally" : ""));
            LOG.info("Service {} restarted by the JsOrc loop: RUNNING", name);
            return "restarted: RUNNING";
        }
        if (!service.isEnabled()) {
            supervisor.notRunning(name);
            String note = "disabled in " + meta.info(name).map(ServiceInfo::configGlob).orElse("its config")
                    + ": not started";
            supervisor.note(name, note);
            return note;
        }
        return failure(name, clock.instant(), current, "restarted: " + service.getState()
                + (service.getLastError() == null ? "" : " (" + service.getLastError() + ")"));
    }

    /**
     * With a manifest: applied through the cluster side, and the service is reset only once its workload is ready
     * (returns what to report instead of resetting, or null to go on). Without a cluster side it is supervised
     * locally.
     */
    private String applyManifest(String name, CommonService<?> service, LoopSettings current) {
        Map<String, Object> manifest = service.getManifest();
        if (manifest == null || manifest.isEmpty()) {
            return null;
        }
        ManifestApplier applier = cluster.get();
        if (applier == null) {
            supervisor.note(name, "manifest not applied: Kubernetes is not configured; supervised locally");
            return null;
        }
        try {
            ManifestApplier.Applied applied = applier.apply(name, manifest, service.getManifestMeta(),
                    current.namespace());
            supervisor.note(name, applied.note());
            return applied.ready() ? null : "manifest applied, waiting: " + applied.note();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "manifest not applied: interrupted";
        } catch (Exception e) {
            String why = describe(e);
            supervisor.note(name, "manifest not applied: " + why);
            LOG.warn("The manifest of {} was not applied: {}", name, why);
            return "manifest not applied: " + why;
        }
    }

    /** Counts a failure; returns the line to report. */
    private String failure(String name, Instant now, LoopSettings current, String what) {
        Supervisor.Outcome outcome = supervisor.failed(name, now, current);
        String config = meta.info(name).map(ServiceInfo::configGlob).orElse("its config glob");
        if (outcome.quarantined()) {
            String note = what + "; quarantined after " + outcome.failures() + " failures within "
                    + current.crashLoopWindow() + " s";
            supervisor.note(name, note);
            LOG.warn("Service {} {}: the JsOrc loop leaves it alone until `service_refresh {}` or a change of {}",
                    name, note, name, config);
            return note;
        }
        String note = what + "; next try after " + outcome.backoffUntil();
        supervisor.note(name, note);
        LOG.info("Service {} {}", name, note);
        return note;
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
    }

    // ------------------------------------------------------------ status

    AutomationStatus status() {
        LoopSettings current = settings;
        Instant now = clock.instant();
        List<Supervision> services = new ArrayList<>();
        for (String name : current.keepAlive()) {
            services.add(view(name, now, current));
        }
        ManifestApplier applier = cluster.get();
        String where = applier != null ? applier.describe()
                : "Kubernetes is not configured: manifests are not applied, services with one are supervised locally";
        synchronized (lock) {
            return new AutomationStatus(current.automation(), !closed && current.automation(), ticks, lastTick,
                    lastTickDuration, nextTick, current.backoffInterval(), where, services);
        }
    }

    Optional<Supervision> supervision(String name) {
        LoopSettings current = settings;
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
