package io.jsorc.shell.internal;

import io.jsorc.api.config.ConfigApi;
import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/**
 * {@code jsorc:config-rollback NAME REV}: writes a kept revision's value again, as a new revision (compare-and-set on
 * the revision it read, so an edit made meanwhile is not overwritten). Like any edit it only stores:
 * {@code jsorc:service-refresh} applies it. Also brings back a deleted glob.
 */
@Command(scope = "jsorc", name = "config-rollback", description = "Writes a kept revision of a glob again, as a new "
        + "revision; run jsorc:service-refresh to apply.")
@Service
public class ConfigRollbackCommand implements Action {

    @Reference
    ConfigApi configApi;

    @Argument(index = 0, name = "name", description = "The glob name", required = true)
    @Completion(ConfigNameCompleter.class)
    String name;

    @Argument(index = 1, name = "revision", description = "The kept revision to go back to", required = true)
    long revision;

    PrintStream out = System.out;

    @Override
    public Object execute() throws Exception {
        return Refused.guard(() -> out.println(configApi.configRollback(name, revision, false, null,
                ConsoleUser.origin()).message() + " (jsorc:service-refresh applies it)"));
    }
}
