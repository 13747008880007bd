package io.jsorc.shell.internal;

import io.jsorc.api.config.ConfigApi;
import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/**
 * {@code jsorc:config-index}: the valid config names ({@link ConfigApi#configIndex}), each marked whether it is
 * stored.
 */
@Command(scope = "jsorc", name = "config-index", description = "Lists the valid config names: every service's "
        + "config glob plus META_CONFIG, and whether each is stored.")
@Service
public class ConfigIndexCommand implements Action {

    @Reference
    ConfigApi configApi;

    PrintStream out = System.out;

    @Override
    public Object execute() {
        ShellTable table = new ShellTable();
        table.column("Name");
        table.column("Stored");
        for (String name : configApi.configIndex()) {
            table.addRow().addContent(name, configApi.configExists(name));
        }
        table.print(out);
        return null;
    }
}
