package io.jsorc.shell.internal;

import io.jsorc.api.MetaService;
import io.jsorc.api.ServiceInfo;
import io.jsorc.api.spi.AutomationProvider;
import io.jsorc.api.spi.Supervision;
import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/**
 * {@code jsorc:service-info NAME}: every field of the service's {@link ServiceInfo} as a property/value table,
 * followed by the full stack trace of the last failure when there is one. Unknown name: fails.
 */
@Command(scope = "jsorc", name = "service-info", description = "Shows everything known about one service: state, "
        + "settings, bundle, ranking, fallbacks, globs, last error with its stack trace, counters, daemons, timeouts "
        + "and abandoned threads.")
@Service
public class ServiceInfoCommand implements Action {

    @Reference
    MetaService meta;

    /** The JsOrc loop, when its bundle is there. */
    @Reference(optional = true)
    AutomationProvider loop;

    @Argument(index = 0, name = "name", description = "The service name", required = true)
    @Completion(ServiceNameCompleter.class)
    String name;

    PrintStream out = System.out;

    @Override
    public Object execute() throws Exception {
        return Refused.guard(this::print);
    }

    private void print() {
        ServiceInfo info = Services.require(meta, name);
        ShellTable table = new ShellTable();
        table.column("Property");
        table.column("Value");
        row(table, "name", info.name());
        row(table, "state", info.state() + " (" + info.state().code() + ")");
        row(table, "awaiting automation", info.awaitingAutomation());
        Services.supervision(loop, name).ifPresent(supervision -> supervised(table, supervision));
        row(table, "enabled", info.enabled());
        row(table, "quiet", info.quiet());
        row(table, "bundle", info.bundle());
        row(table, "ranking", info.ranking());
        row(table, "service id", info.serviceId());
        row(table, "fallbacks", info.fallbacks() == null || info.fallbacks().isEmpty() ? null
                : String.join(", ", info.fallbacks()));
        row(table, "config glob", info.configGlob());
        row(table, "manifest glob", info.manifestGlob());
        row(table, "last error", info.lastError());
        row(table, "last error time", info.lastErrorTime() == null ? null : Services.when(info.lastErrorTime()));
        row(table, "start count", info.startCount());
        row(table, "reset count", info.resetCount());
        row(table, "daemons", info.daemons() == null || info.daemons().isEmpty() ? null
                : String.join(", ", info.daemons()));
        row(table, "last start duration", info.lastStartDuration());
        row(table, "outstanding", info.outstanding());
        row(table, "start timeout", info.startTimeout().toSeconds() + " s");
        row(table, "stop timeout", info.stopTimeout().toSeconds() + " s");
        row(table, "abandoned threads", info.abandonedThreads().isEmpty() ? null
                : String.join(", ", info.abandonedThreads()));
        table.print(out);
        if (info.lastErrorDetail() != null) {
            out.println("last error detail:");
            out.println(info.lastErrorDetail());
        }
    }

    /** What the JsOrc loop knows of a keep_alive service. */
    private static void supervised(ShellTable table, Supervision supervision) {
        row(table, "quarantined", supervision.quarantined()
                ? "since " + Services.when(supervision.quarantinedSince())
                        + " (service-refresh or a config change lifts it)"
                : "false");
        row(table, "failures (crash-loop window)", supervision.failures());
        row(table, "failures in a row", supervision.consecutiveFailures());
        row(table, "backoff until",
                supervision.backoffUntil() == null ? null : Services.when(supervision.backoffUntil()));
        row(table, "automation", supervision.note());
    }

    private static void row(ShellTable table, String property, Object value) {
        table.addRow().addContent(property, Services.text(value));
    }
}
