package io.jsorc.shell.internal;

import io.jsorc.api.config.GlobException;
import io.jsorc.api.config.GlobStore;
import io.jsorc.api.config.Secrets;
import io.jsorc.api.config.StoredGlob;
import java.io.PrintStream;
import java.util.List;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/**
 * {@code jsorc:config-history NAME}: the last revisions of a glob kept on this node (at most 20, newest first) —
 * revision, when, who and from where, and the value, masked and cut at 100 characters.
 */
@Command(scope = "jsorc", name = "config-history", description = "Lists the last revisions of a glob (newest first): "
        + "revision, time, by whom (actor@source/node), value (secrets masked).")
@Service
public class ConfigHistoryCommand implements Action {

    static final int SHOWN_CHARS = 100;

    @Reference
    GlobStore globs;

    @Argument(index = 0, name = "name", description = "The glob name, e.g. STRIPE_CONFIG", required = true)
    @Completion(ConfigNameCompleter.class)
    String name;

    PrintStream out = System.out;

    @Override
    public Object execute() throws Exception {
        return Refused.guard(() -> {
            List<StoredGlob> revisions = globs.history(name);
            if (revisions.isEmpty()) {
                throw new GlobException(GlobException.Reason.INVALID_NAME, "No revision of " + name
                        + " is kept on this node");
            }
            ShellTable table = new ShellTable();
            table.column("Revision");
            table.column("Time");
            table.column("By");
            table.column("Value");
            for (StoredGlob glob : revisions) {
                String value = Secrets.maskedJson(name, globs.parse(glob.json()));
                table.addRow().addContent(glob.revision(), glob.time(), glob.origin(), value.length() > SHOWN_CHARS
                        ? value.substring(0, SHOWN_CHARS) + "… (" + value.length() + " chars)" : value);
            }
            table.print(out);
        });
    }
}
