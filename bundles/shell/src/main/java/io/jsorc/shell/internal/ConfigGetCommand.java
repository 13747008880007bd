package io.jsorc.shell.internal;

import io.jsorc.api.config.ConfigApi;
import io.jsorc.api.config.GlobValue;
import io.jsorc.api.config.Secrets;
import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/**
 * {@code jsorc:config-get [--no-check] [--revision] NAME}: prints the stored JSON text exactly as stored (secret
 * values shown as {@code ********}, see {@link Secrets}: then as compact JSON), or nothing
 * when the glob is absent ({@code jsorc:config-exists} tells absent apart from a stored {@code null}). With
 * {@code --revision} a first line says which revision it is, when and by whom it was written (what
 * {@code config-set --rev} needs). A name outside {@code config-index} fails unless {@code --no-check}.
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

    @Option(name = "--revision", description = "First print 'revision N, written TIME by ACTOR@SOURCE/NODE'")
    boolean revision;

    PrintStream out = System.out;

    @Override
    public Object execute() throws Exception {
        return Refused.guard(() -> configApi.configGet(name, !noCheck).ifPresent(this::print));
    }

    private void print(GlobValue value) {
        if (revision) {
            out.println("revision " + value.revision() + ", written " + value.stored().time() + " by "
                    + value.stored().origin());
        }
        out.println(Secrets.maskedJson(value));
    }
}
