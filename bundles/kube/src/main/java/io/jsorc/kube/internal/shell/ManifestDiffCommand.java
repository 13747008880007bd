package io.jsorc.kube.internal.shell;

import io.jsorc.kube.internal.KubeApplier;
import io.jsorc.kube.internal.Reconciler;
import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/**
 * {@code jsorc:manifest-diff NAME [FILE]}: the plan — what applying the stored manifest (or FILE as its next
 * version) would create, update field by field, prune and leave alone. Reads only (GET and LIST): never the
 * server's dryRun.
 */
@Command(scope = "jsorc", name = "manifest-diff", description = "Shows what applying manifest NAME (or FILE as its "
        + "next version) would create, update (field by field), prune and leave alone. Reads only.")
@Service
public class ManifestDiffCommand implements Action {

    @Reference
    KubeApplier applier;

    @Argument(index = 0, name = "name", description = "The manifest glob, e.g. REDIS_MANIFEST", required = true)
    String name;

    @Argument(index = 1, name = "file", description = "A YAML file (or default:redis) to plan as the next version")
    String file;

    @Option(name = "--unsafe-paraphrase", description = "Plan as if FILE came with the paraphrase")
    String paraphrase = "";

    @Option(name = "--adopt", description = "Plan as if FILE came with --adopt")
    boolean adopt;

    PrintStream out = System.out;

    @Override
    public Object execute() throws Exception {
        return Console.guard(() -> {
            Reconciler.Result plan = applier.plan(name, file == null ? null : Console.read(file), adopt, paraphrase);
            Plans.print(plan, out);
            out.println("plan: " + plan.summary().replace("created", "to create").replace("updated", "to update")
                    .replace("pruned", "to prune").replace("adopted", "to adopt"));
        });
    }
}
