package io.jsorc.shell.internal;

import io.jsorc.api.MetaService;
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
 * the state afterwards. Unknown name: fails with {@code <name> is not a valid service. Can not refresh config.}
 */
@Command(scope = "jsorc", name = "service-refresh", description = "Applies a config change: re-reads the service's "
        + "settings, resets it and starts it again (unless automated). 'meta' refreshes every service.")
@Service
public class ServiceRefreshCommand implements Action {

    @Reference
    MetaService meta;

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
        });
    }
}
