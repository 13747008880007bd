package io.jsorc.kube.internal.shell;

import io.jsorc.api.spi.ManifestApplier;
import io.jsorc.kube.internal.KubeApplier;
import io.jsorc.kube.internal.Readiness;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/**
 * {@code jsorc:apply-yaml NAME FILE}: the original's {@code apply_yaml}. Stores; the loop applies on its next tick
 * when the service is not RUNNING; {@code --now} applies at once, {@code --wait} also waits for the workloads.
 */
@Command(scope = "jsorc", name = "apply-yaml", description = "Stores a manifest (multi-document YAML) as glob NAME, "
        + "stamped with config_version; the JsOrc loop applies it (--now: at once; --wait: and wait until ready).")
@Service
public class ApplyYamlCommand implements Action {

    @Reference
    KubeApplier applier;

    @Argument(index = 0, name = "name", description = "The manifest glob, e.g. REDIS_MANIFEST", required = true)
    String name;

    @Argument(index = 1, name = "file", description = "The YAML file, or default:redis / default:promon",
            required = true)
    String file;

    @Option(name = "--unsafe-paraphrase", description = "Exactly \"I know what I'm doing!\": this version may "
            + "delete protected kinds (PersistentVolumeClaim, ...)")
    String paraphrase = "";

    @Option(name = "--adopt", description = "This version may take over objects that exist and are not ours (without "
            + "jsorc.io/owner=NAME and jsorc.io/namespace=<META_CONFIG.namespace>)")
    boolean adopt;

    @Option(name = "--now", description = "Apply at once, whatever the service's state")
    boolean now;

    @Option(name = "--wait", description = "Apply at once and wait until the workloads are ready (implies --now)")
    boolean await;

    @Option(name = "--timeout", description = "Seconds --wait waits (default 300)")
    int timeout = 300;

    PrintStream out = System.out;

    @Override
    public Object execute() throws Exception {
        return Console.guard(() -> {
            Map<String, Object> stored = applier.applyYaml(name, Console.read(file), paraphrase, adopt,
                    Console.origin());
            long documents = stored.entrySet().stream().filter(e -> !e.getKey().startsWith("__"))
                    .mapToLong(e -> ((List<?>) e.getValue()).size()).sum();
            out.println(name + " stored: " + documents + " documents"
                    + (ManifestApplier.UNSAFE_PARAPHRASE.equals(paraphrase) ? ", unsafe paraphrase kept for this version"
                            : paraphrase.isEmpty() ? "" : ", paraphrase NOT kept (it must be exactly \""
                                    + ManifestApplier.UNSAFE_PARAPHRASE + "\")")
                    + (adopt ? ", may adopt" : ""));
            if (!now && !await) {
                out.println("Applied by the JsOrc loop when its service is not RUNNING (service-refresh it), or now: "
                        + "jsorc:check, or apply-yaml --now");
                return;
            }
            KubeApplier.Outcome outcome = applier.applyNow(name);
            Plans.print(outcome.result(), out);
            out.println(outcome.result().summary());
            if (!await) {
                out.println(outcome.verdict().note());
                return;
            }
            Instant deadline = Instant.now().plus(Duration.ofSeconds(timeout));
            String last = null;
            while (true) {
                Readiness.Verdict verdict = applier.readiness(name);
                if (!verdict.note().equals(last)) {
                    out.println(Instant.now().toString().substring(11, 19) + " " + verdict.note());
                    last = verdict.note();
                }
                if (verdict.ready()) {
                    return;
                }
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("Not ready after " + timeout + " s: " + verdict.note());
                }
                TimeUnit.SECONDS.sleep(1);     // the console's wait; interrupted by Ctrl-C
            }
        });
    }
}
