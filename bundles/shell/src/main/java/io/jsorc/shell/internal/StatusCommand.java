package io.jsorc.shell.internal;

import io.jsorc.api.spi.AutomationProvider;
import io.jsorc.api.spi.AutomationStatus;
import io.jsorc.api.spi.ManifestApplier;
import io.jsorc.api.spi.SharedGlobTier;
import io.jsorc.api.spi.Supervision;
import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/**
 * {@code jsorc:status}: where the globs live (this node, or the shared store and whether this node is in sync with
 * it), the JsOrc loop — automation on or off, the last tick and its duration, the next one, where
 * manifests go — and a row per {@code keep_alive} service: state, failures, backoff, quarantine, last error and what
 * the loop did; with the Kubernetes part, each manifest applied since this node started (version, objects, when,
 * what it did, ready or what it waits for). Without the loop's bundle it says so and fails.
 */
@Command(scope = "jsorc", name = "status", description = "Shows the JsOrc automation loop: on or off, last and next "
        + "tick, and per keep_alive service its state, failures, backoff, quarantine and last error.")
@Service
public class StatusCommand implements Action {

    @Reference(optional = true)
    AutomationProvider loop;

    /** Present while globs are shared with other nodes. */
    @Reference(optional = true)
    SharedGlobTier shared;

    /** Present while the Kubernetes part (jsorc-kube) is installed. */
    @Reference(optional = true)
    ManifestApplier cluster;

    PrintStream out = System.out;

    @Override
    public Object execute() throws Exception {
        return Refused.guard(() -> {
            AutomationStatus status = Services.requireLoop(loop).status();
            out.println("globs:      " + (shared == null ? "this node only (Config Admin)" : shared.status()));
            print(status);
        });
    }

    private void print(AutomationStatus status) {
        out.println("automation: " + (status.automation() ? "on" : "off (META_CONFIG.automation is false)")
                + (status.automation() && !status.running() ? ", but the loop is stopped" : ""));
        out.println("last tick:  " + (status.lastTick() == null ? "-"
                : Services.when(status.lastTick()) + " (took " + status.lastTickDuration().toMillis() + " ms)")
                + ", ticks: " + status.ticks());
        out.println("next tick:  " + (status.nextTick() == null ? "-" : Services.when(status.nextTick()))
                + " (every " + status.backoffInterval() + " s after the previous one ended)");
        out.println("manifests:  " + status.cluster());
        if (cluster != null) {
            for (ManifestApplier.ManifestStatus manifest : cluster.manifests()) {
                out.println("  " + manifest.glob() + " (" + Services.text(manifest.service()) + "): version "
                        + manifest.version() + ", " + manifest.objects() + " objects, applied "
                        + Services.when(manifest.at()) + ": " + manifest.note());
            }
        }
        ShellTable table = new ShellTable();
        table.column("Name");
        table.column("State");
        table.column("Failures");
        table.column("Backoff until");
        table.column("Quarantined");
        table.column("Last error").maxSize(60);
        table.column("Loop").maxSize(80);
        for (Supervision service : status.services()) {
            table.addRow().addContent(service.name(), Services.text(service.state()),
                    service.failures() + " (" + service.consecutiveFailures() + " in a row)",
                    Services.time(service.backoffUntil()),
                    service.quarantined() ? "since " + Services.time(service.quarantinedSince()) : "no",
                    Services.text(service.lastError()), Services.text(service.note()));
        }
        table.print(out);
    }
}
