package io.jsorc.shell.internal;

import io.jsorc.api.MetaService;
import io.jsorc.api.ServiceInfo;
import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/** {@code jsorc:service-list}: one row per service ({@code meta} included), sorted by name. */
@Command(scope = "jsorc", name = "service-list", description = "Lists the services: name, state, enabled, quiet, "
        + "providing bundle and last error.")
@Service
public class ServiceListCommand implements Action {

    @Reference
    MetaService meta;

    /** Karaf's System.out delegates to the session running the command; tests replace it. */
    PrintStream out = System.out;

    @Override
    public Object execute() {
        ShellTable table = new ShellTable();
        table.column("Name");
        table.column("State");
        table.column("Enabled");
        table.column("Quiet");
        table.column("Bundle");
        table.column("Last error").maxSize(80);
        for (ServiceInfo info : meta.infos()) {
            table.addRow().addContent(info.name(), info.state(), info.enabled(), info.quiet(),
                    Services.text(info.bundle()), Services.text(info.lastError()));
        }
        table.print(out);
        return null;
    }
}
