package io.jsorc.loop.internal;

import io.jsorc.api.CommonService;
import io.jsorc.api.Hook;
import io.jsorc.api.MetaService;
import io.jsorc.api.ServiceInfo;
import io.jsorc.api.spi.ManifestApplier;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a tick does for one {@code keep_alive} service: the original's {@code check}, plus backoff and quarantine.
 * Runs on the loop's thread only; what it remembers is in the {@link Supervisor}.
 *
 * <p>A failure is counted when a reset by the loop does not end RUNNING while the service is enabled, or when the
 * instance the loop saw RUNNING is found FAILED (a crash). Not counted: a service disabled, replaced or removed
 * while it was checked, a reset cut short because the platform is stopping, a manifest the cluster side could not
 * apply (that is the cluster's failure, shown in the note; the service is backed off without a failure counted).
 *
 * <p>A scheduled tick applies the manifest of a service that is not RUNNING only (the original's rule); an explicit
 * check ({@code jsorc:check}) applies every {@code keep_alive} service's manifest, RUNNING or not, and resets only
 * those that are not RUNNING.
 */
final class KeepAlive {

    private static final Logger LOG = LoggerFactory.getLogger(Loop.class);

    private final MetaService meta;
    private final Clock clock;
    private final Supervisor supervisor;
    private final Supplier<ManifestApplier> cluster;

    KeepAlive(MetaService meta, Clock clock, Supervisor supervisor, Supplier<ManifestApplier> cluster) {
        this.meta = meta;
        this.clock = clock;
        this.supervisor = supervisor;
        this.cluster = cluster;
    }

    /** Checks {@code name}; returns what was done, one line. */
    String check(String name, Hook hook, LoopSettings settings) {
        return check(name, hook, settings, false);
    }

    /** Checks {@code name}, applying its manifest even when RUNNING if {@code explicit}; returns what was done. */
    String check(String name, Hook hook, LoopSettings settings, boolean explicit) {
        CommonService<?> service = meta.info(name).isPresent() ? meta.getService(name, hook) : null;
        if (service == null) {
            supervisor.note(name, "not a service (yet): waiting for its bundle");
            return "not a service (yet): waiting for its bundle";
        }
        Instant now = clock.instant();
        if (service.isRunning()) {
            if (supervisor.running(name, service, now, settings)) {
                LOG.info("Service {} is RUNNING again: out of quarantine", name);
            }
            ManifestApplier applier = cluster.get();
            if (explicit && applier != null && applier.hasManifest(name, service.getManifest())) {
                String applied = applyManifest(name, service, settings);
                return "RUNNING, manifest " + (applied == null ? "applied, ready" : applied);
            }
            return "RUNNING, left alone";
        }
        if (supervisor.crashed(name, service) && service.hasFailed()) {
            failure(name, now, settings, "stopped running (" + service.getState()
                    + (service.getLastError() == null ? "" : ": " + service.getLastError()) + ")");
        }
        String blocked = supervisor.blocked(name, now);
        if (blocked != null) {
            return service.getState() + ", " + blocked;
        }
        if (!service.isEnabled() && service.isReady()) {
            String note = "disabled in " + configGlob(name) + ": left NOT_STARTED (config-set it enabled, then "
                    + "service-refresh " + name + ")";
            supervisor.note(name, note);
            return note;
        }
        String manifest = applyManifest(name, service, settings);
        if (manifest != null) {
            return manifest;
        }
        return reset(name, service, hook, settings, now);
    }

    private String reset(String name, CommonService<?> service, Hook hook, LoopSettings settings, Instant now) {
        try {
            meta.reset(service, hook, true);
        } catch (CancellationException e) {
            if (Thread.currentThread().isInterrupted()) {
                return "reset cut short: the loop is stopping";
            }
            return failure(name, clock.instant(), settings, "reset gave up: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            return "replaced while checked: checked again at the next tick";
        }
        if (meta.getService(name, hook) != service) {
            return "replaced while checked: checked again at the next tick";
        }
        if (service.isRunning()) {
            supervisor.running(name, service, clock.instant(), settings);
            supervisor.note(name, "restarted by the loop at " + now + (locallySupervised(service)
                    ? "; manifest not applied: Kubernetes is not configured; supervised locally" : ""));
            LOG.info("Service {} restarted by the JsOrc loop: RUNNING", name);
            return "restarted: RUNNING";
        }
        if (!service.isEnabled()) {
            String note = "disabled in " + configGlob(name) + ": not started";
            supervisor.note(name, note);
            return note;
        }
        return failure(name, clock.instant(), settings, "restarted: " + service.getState()
                + (service.getLastError() == null ? "" : " (" + service.getLastError() + ")"));
    }

    private boolean locallySupervised(CommonService<?> service) {
        Map<String, Object> manifest = service.getManifest();
        return manifest != null && !manifest.isEmpty() && cluster.get() == null;
    }

    /**
     * With a manifest: applied through the cluster side, and the service is reset only once its workload is ready
     * (returns what to report instead of resetting, or null to go on). Without a cluster side it is supervised
     * locally.
     */
    private String applyManifest(String name, CommonService<?> service, LoopSettings settings) {
        Map<String, Object> manifest = service.getManifest();
        ManifestApplier applier = cluster.get();
        if (applier == null || !applier.hasManifest(name, manifest)) {
            return null;
        }
        try {
            ManifestApplier.Applied applied = applier.apply(name, manifest, service.getManifestMeta(),
                    settings.namespace());
            supervisor.clusterApplied(name);
            supervisor.note(name, applied.note());
            return applied.ready() ? null : "manifest applied, waiting: " + applied.note();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "manifest not applied: interrupted";
        } catch (Exception e) {
            String why = Loop.describe(e);
            Instant until = supervisor.clusterFailed(name, clock.instant(), settings);
            supervisor.note(name, "manifest not applied: " + why + "; next try after " + until);
            LOG.warn("The manifest of {} was not applied: {}; next try after {}", name, why, until);
            return "manifest not applied: " + why + "; next try after " + until;
        }
    }

    /** Counts a failure; returns the line to report. */
    private String failure(String name, Instant now, LoopSettings settings, String what) {
        Supervisor.Outcome outcome = supervisor.failed(name, now, settings);
        if (outcome.quarantined()) {
            String note = what + "; quarantined after " + outcome.failures() + " failures within "
                    + settings.crashLoopWindow() + " s";
            supervisor.note(name, note);
            LOG.warn("Service {} {}: the JsOrc loop leaves it alone until `service_refresh {}` or a change of {}",
                    name, note, name, configGlob(name));
            return note;
        }
        String note = what + "; next try after " + outcome.backoffUntil();
        supervisor.note(name, note);
        LOG.info("Service {} {}", name, note);
        return note;
    }

    private String configGlob(String name) {
        return meta.info(name).map(ServiceInfo::configGlob).orElse("its config glob");
    }
}
