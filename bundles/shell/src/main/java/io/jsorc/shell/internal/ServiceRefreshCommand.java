package io.jsorc.shell.internal;

import io.jsorc.api.MetaService;
import io.jsorc.api.spi.ClusterRefresh;
import java.time.Duration;
import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/**
 * {@code jsorc:service-refresh NAME}: the seed's {@code service_refresh} through {@link MetaService#refresh}: the
 * service re-reads its settings, is reset and (unless automated) started; {@code meta} rebuilds every service. Prints
 * the state afterwards; with shared globs, every other live node refreshes too and the command names those that
 * acknowledged within 10 s. Unknown name: fails with {@code <name> is not a valid service. Can not refresh config.}
 */
@Command(scope = "jsorc", name = "service-refresh", description = "Applies a config change: re-reads the service's "
        + "settings, resets it and starts it again (unless automated). 'meta' refreshes every service.")
@Service
public class ServiceRefreshCommand implements Action {

    @Reference
    MetaService meta;

    /** Present while globs are shared with other nodes: they refresh too. */
    @Reference(optional = true)
    ClusterRefresh cluster;

    @Argument(index = 0, name = "name", description = "The service name", required = true)
    @Completion(ServiceNameCompleter.class)
    String name;

    PrintStream out = System.out;

    @Override
    public Object execute() throws Exception {
        return Refused.guard(() -> {
            if (!meta.refresh(name, ConsoleUser.origin())) {
                throw new IllegalArgumentException(name + " is not a valid service. Can not refresh config.");
            }
            String state = meta.info(name).map(Services::state).orElse("gone");
            out.println(name + " refreshed: " + state);
            if (cluster != null) {
                ClusterRefresh.Acks acks = cluster.refreshOthers(name, ConsoleUser.origin(), Duration.ofSeconds(10));
                out.println("Other nodes: " + (acks.acknowledged().isEmpty() ? "none refreshed"
                        : "refreshed on " + String.join(", ", acks.acknowledged()))
                        + (acks.missing().isEmpty() ? "" : "; no answer within 10 s from "
                        + String.join(", ", acks.missing())));
            }
        });
    }
}
