package io.jsorc.shell.internal;

import io.jsorc.api.MetaService;
import io.jsorc.api.ServiceInfo;
import io.jsorc.api.ServiceState;
import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/**
 * {@code jsorc:service-start NAME}: {@link MetaService#start} and prints the resulting state. A FAILED service is
 * left alone (the seed's rule) and the command says to use {@code jsorc:service-refresh}; a disabled one says how
 * to enable it. Unknown name: fails.
 */
@Command(scope = "jsorc", name = "service-start", description = "Starts a service that is enabled and NOT_STARTED. "
        + "A FAILED service is not restarted: use jsorc:service-refresh.")
@Service
public class ServiceStartCommand implements Action {

    @Reference
    MetaService meta;

    @Argument(index = 0, name = "name", description = "The service name", required = true)
    @Completion(ServiceNameCompleter.class)
    String name;

    PrintStream out = System.out;

    @Override
    public Object execute() throws Exception {
        return Refused.guard(this::start);
    }

    private void start() {
        ServiceState state = meta.start(name)
                .orElseThrow(() -> new IllegalArgumentException(name + " is not a valid service."));
        ServiceInfo info = meta.info(name).orElse(null);
        if (state == ServiceState.FAILED) {
            String error = info == null || info.lastError() == null ? "" : ": " + info.lastError();
            out.println(name + " has FAILED" + error);
            out.println("A FAILED service is not started again; use jsorc:service-refresh " + name + " to retry.");
        } else if (state == ServiceState.NOT_STARTED && info != null && !info.enabled()) {
            out.println(name + " is NOT_STARTED: it is disabled. Set \"enabled\": true in " + info.configGlob()
                    + " (jsorc:config-set) and run jsorc:service-refresh " + name + ".");
        } else if (info != null && info.awaitingAutomation()) {
            out.println(name + " is " + state + ": automation is on and it is in META_CONFIG.keep_alive, so the JsOrc "
                    + "loop starts it.");
        } else {
            out.println(name + " is " + state);
        }
    }
}
