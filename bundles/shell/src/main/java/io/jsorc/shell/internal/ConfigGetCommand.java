package io.jsorc.shell.internal;

import io.jsorc.api.config.ConfigApi;
import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/**
 * {@code jsorc:config-get NAME [--no-check]}: prints the stored JSON text exactly as stored, or nothing when the
 * glob is absent ({@code jsorc:config-exists} tells absent apart from a stored {@code null}). A name outside
 * {@code config-index} fails unless {@code --no-check}.
 */
@Command(scope = "jsorc", name = "config-get", description = "Prints the stored JSON text of a config glob "
        + "(nothing when absent). Names outside jsorc:config-index need --no-check.")
@Service
public class ConfigGetCommand implements Action {

    @Reference
    ConfigApi configApi;

    @Argument(index = 0, name = "name", description = "The config name, e.g. STRIPE_CONFIG", required = true)
    @Completion(ConfigNameCompleter.class)
    String name;

    @Option(name = "--no-check", description = "Allow any glob name, not only the valid config names")
    boolean noCheck;

    PrintStream out = System.out;

    @Override
    public Object execute() {
        String json = configApi.configGet(name, !noCheck);
        if (json != null) {
            out.println(json);
        }
        return null;
    }
}
