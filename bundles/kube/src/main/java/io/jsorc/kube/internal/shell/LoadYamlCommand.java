package io.jsorc.kube.internal.shell;

import io.jsorc.api.spi.ManifestApplier;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code jsorc:load-yaml FILE [-n NS]}: the original's {@code load_yaml}: creates every document, owned by nobody. */
@Command(scope = "jsorc", name = "load-yaml", description = "Creates every document of FILE directly (not "
        + "associated with a service, not pruned ever); only while automation is on.")
@Service
public class LoadYamlCommand implements Action {

    @Reference
    ManifestApplier applier;

    @Argument(index = 0, name = "file", description = "The YAML file", required = true)
    String file;

    @Option(name = "-n", aliases = "--namespace", description = "Namespace of documents without one (default: default)")
    String namespace = "default";

    PrintStream out = System.out;

    @Override
    public Object execute() throws Exception {
        return Console.guard(() -> {
            Map<String, Object> result = applier.loadYaml(Console.read(file), namespace, Console.origin());
            if (result.get("message") instanceof String message) {
                throw new IllegalStateException(message);
            }
            result.forEach((kind, created) -> {
                for (Object object : (List<?>) created) {
                    Object metadata = ((Map<?, ?>) object).get("metadata");
                    Map<?, ?> m = metadata instanceof Map<?, ?> map ? map : Map.of();
                    out.println("created " + kind + " " + (m.get("namespace") == null ? "" : m.get("namespace") + "/")
                            + m.get("name"));
                }
            });
        });
    }
}
