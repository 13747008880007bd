package io.jsorc.shell.internal;

import io.jsorc.api.MetaService;
import io.jsorc.api.ServiceInfo;
import io.jsorc.api.spi.AutomationProvider;
import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/**
 * {@code jsorc:service-list}: one row per service ({@code meta} included), sorted by name. The last error keeps its
 * time and stays after the service runs again, apart from the state; a service the JsOrc loop is to start says
 * {@code (awaiting automation)}, {@code (backing off until ...)} or {@code (quarantined)}.
 */
@Command(scope = "jsorc", name = "service-list", description = "Lists the services: name, state, enabled, quiet, "
        + "providing bundle and the last error with its time.")
@Service
public class ServiceListCommand implements Action {

    @Reference
    MetaService meta;

    /** The JsOrc loop, when its bundle is there. */
    @Reference(optional = true)
    AutomationProvider loop;

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
        table.column("Last error (at)").maxSize(100);
        for (ServiceInfo info : meta.infos()) {
            table.addRow().addContent(info.name(), Services.state(info, loop), info.enabled(), info.quiet(),
                    Services.text(info.bundle()), Services.lastError(info));
        }
        table.print(out);
        return null;
    }
}
