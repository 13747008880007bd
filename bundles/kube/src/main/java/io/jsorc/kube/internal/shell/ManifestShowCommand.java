package io.jsorc.kube.internal.shell;

import io.jsorc.api.config.GlobStore;
import io.jsorc.api.config.GlobValue;
import io.jsorc.api.config.Secrets;
import java.io.PrintStream;
import java.util.Optional;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code jsorc:manifest-show NAME}: the stored manifest, the values of Secret documents masked. */
@Command(scope = "jsorc", name = "manifest-show", description = "Prints stored manifest NAME as JSON (kinds in order, "
        + "__OLD_CONFIG__ included; Secret data masked).")
@Service
public class ManifestShowCommand implements Action {

    @Reference
    GlobStore globs;

    @Argument(index = 0, name = "name", description = "The manifest glob, e.g. REDIS_MANIFEST", required = true)
    String name;

    PrintStream out = System.out;

    @Override
    public Object execute() throws Exception {
        return Console.guard(() -> {
            if (!name.endsWith("_MANIFEST")) {
                throw new IllegalArgumentException("Not a manifest glob name: " + name + " (expected <NAME>_MANIFEST)");
            }
            Optional<GlobValue> value = globs.get(name);
            if (value.isEmpty()) {
                throw new IllegalArgumentException("No manifest " + name);
            }
            out.println(Secrets.maskedJson(value.get()));
            out.println("revision " + value.get().revision() + ", " + value.get().stored().time() + " by "
                    + value.get().stored().origin());
        });
    }
}
