package io.jsorc.shell.internal;

import io.jsorc.api.spi.AutomationProvider;
import io.jsorc.api.spi.TickReport;
import java.io.PrintStream;
import java.util.concurrent.TimeoutException;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/**
 * {@code jsorc:check}: runs a tick of the JsOrc loop now (after the running one, never two at once) and prints what
 * it did, one line per {@code keep_alive} service. The next scheduled tick comes {@code backoff_interval} after it.
 */
@Command(scope = "jsorc", name = "check", description = "Runs a JsOrc automation tick now and prints what it did "
        + "for each keep_alive service.")
@Service
public class CheckCommand implements Action {

    @Reference(optional = true)
    AutomationProvider loop;

    PrintStream out = System.out;

    @Override
    public Object execute() throws Exception {
        return Refused.guard(() -> {
            TickReport report;
            try {
                report = Services.requireLoop(loop).check();
            } catch (TimeoutException | IllegalStateException e) {
                // not the user's input, but not the platform failing either: one line, no ERROR in the log
                throw new IllegalArgumentException(e.getMessage(), e);
            }
            report.actions().forEach(out::println);
            out.println("(" + report.duration().toMillis() + " ms)");
        });
    }
}
