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
 * {@code jsorc:config-delete [--no-check] [--rev N] NAME}: deletes a glob with origin {@code <user>@console/<node>} and prints
 * {@code <name> Deleted.} A name outside {@code config-index} fails unless {@code --no-check}. Deleting restarts
 * nothing; the next build or refresh of the service writes its defaults again.
 */
@Command(scope = "jsorc", name = "config-delete", description = "Deletes a config glob. Names outside "
        + "jsorc:config-index need --no-check.")
@Service
public class ConfigDeleteCommand implements Action {

    @Reference
    ConfigApi configApi;

    @Argument(index = 0, name = "name", description = "The config name", required = true)
    @Completion(ConfigNameCompleter.class)
    String name;

    @Option(name = "--no-check", description = "Allow any glob name, not only the valid config names")
    boolean noCheck;

    @Option(name = "--rev", description = "The revision the glob must still have; a concurrent change makes the "
            + "command fail")
    Long rev;

    PrintStream out = System.out;

    @Override
    public Object execute() throws Exception {
        return Refused.guard(() -> out.println(configApi.configDelete(name, !noCheck, rev,
                ConsoleUser.origin()).message()));
    }
}
