package io.jsorc.shell.internal;

import io.jsorc.api.config.ConfigApi;
import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code jsorc:config-exists NAME}: prints {@code true} or {@code false}; no name check (as the original). */
@Command(scope = "jsorc", name = "config-exists", description = "Prints true when the glob is stored, else false "
        + "(any name).")
@Service
public class ConfigExistsCommand implements Action {

    @Reference
    ConfigApi configApi;

    @Argument(index = 0, name = "name", description = "The glob name", required = true)
    @Completion(ConfigNameCompleter.class)
    String name;

    PrintStream out = System.out;

    @Override
    public Object execute() throws Exception {
        return Refused.guard(() -> out.println(configApi.configExists(name)));
    }
}
