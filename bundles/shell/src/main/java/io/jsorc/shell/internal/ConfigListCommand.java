package io.jsorc.shell.internal;

import io.jsorc.api.config.ConfigApi;
import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/** {@code jsorc:config-list}: the stored globs that are valid config names ({@link ConfigApi#configList}). */
@Command(scope = "jsorc", name = "config-list", description = "Lists the stored config globs that are valid "
        + "config names.")
@Service
public class ConfigListCommand implements Action {

    @Reference
    ConfigApi configApi;

    PrintStream out = System.out;

    @Override
    public Object execute() {
        ShellTable table = new ShellTable();
        table.column("Name");
        table.emptyTableText("no config stored");
        configApi.configList().forEach(name -> table.addRow().addContent(name));
        table.print(out);
        return null;
    }
}
