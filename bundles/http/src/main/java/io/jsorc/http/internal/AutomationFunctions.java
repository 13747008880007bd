package io.jsorc.http.internal;

import io.jsorc.api.config.Secrets;
import io.jsorc.api.spi.AutomationProvider;
import io.jsorc.api.spi.AutomationStatus;
import io.jsorc.api.spi.ManifestApplier;
import io.jsorc.api.spi.Supervision;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code apply_yaml}, {@code load_yaml} and {@code jsorc_status}: the functions served by parts the HTTP feature does
 * not carry (the JsOrc loop, the Kubernetes part), which may come and go at any time. Kubernetes client exceptions
 * are caught here as {@link Exception}: this bundle does not import fabric8.
 *
 * <p>Thread-safety: any thread; each reference is read once per call.
 */
final class AutomationFunctions {

    static final String NO_KUBE = "Kubernetes is not installed: feature:install jsorc-kube";
    static final String NO_LOOP = "The JsOrc loop is not running (feature jsorc-loop)";
    /** What a value of a Secret document is shown as (as the console shows it). */
    static final String MASK = Secrets.MASK;

    private volatile ManifestApplier applier;
    private volatile AutomationProvider loop;

    synchronized void applier(ManifestApplier applier) {
        this.applier = applier;
    }

    synchronized void unapplier(ManifestApplier gone) {
        if (applier == gone) {
            applier = null;
        }
    }

    synchronized void loop(AutomationProvider loop) {
        this.loop = loop;
    }

    synchronized void unloop(AutomationProvider gone) {
        if (loop == gone) {
            loop = null;
        }
    }

    /** Stores the manifest; the caller maps the glob store's refusals and IllegalArgumentException. */
    Functions.Reply applyYaml(Functions.Call call) {
        Fields fields = call.fields();
        String name = fields.text("name");
        String yaml = fields.text("file");
        String paraphrase = fields.text("unsafe_paraphrase", "");
        boolean adopt = fields.bool("adopt", false);
        ManifestApplier cluster = applierOr503();
        return Functions.Reply.ok(maskSecrets(cluster.applyYaml(name, yaml, paraphrase, adopt, call.origin())));
    }

    /** Creates the documents; with automation off the applier answers the original's message, passed on as 200. */
    Functions.Reply loadYaml(Functions.Call call) {
        Fields fields = call.fields();
        String yaml = fields.text("file");
        String namespace = fields.text("namespace", "default");
        ManifestApplier cluster = applierOr503();
        try {
            return Functions.Reply.ok(maskSecrets(cluster.loadYaml(yaml, namespace, call.origin())));
        } catch (IllegalArgumentException bad) {
            throw new ApiError(400, bad.getMessage());
        } catch (IllegalStateException unreachable) {
            throw new ApiError(503, String.valueOf(Secrets.mask(String.valueOf(unreachable.getMessage()))));
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new ApiError(503, "Interrupted while creating the documents; some may have been created");
        } catch (Exception refused) {
            // the API server's refusal (a fabric8 KubernetesClientException): what was created before it stays
            throw new ApiError(502, "Kubernetes refused: " + Secrets.mask(String.valueOf(refused.getMessage())));
        }
    }

    Functions.Reply status(Functions.Call call) {
        AutomationProvider running = loop;
        if (running == null) {
            throw new ApiError(503, NO_LOOP);
        }
        AutomationStatus status = running.status();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("automation", status.automation());
        out.put("running", status.running());
        out.put("ticks", status.ticks());
        out.put("last_tick", text(status.lastTick()));
        out.put("last_tick_ms", status.lastTickDuration() == null ? null : status.lastTickDuration().toMillis());
        out.put("next_tick", text(status.nextTick()));
        out.put("backoff_interval", status.backoffInterval());
        out.put("cluster", status.cluster());
        List<Map<String, Object>> services = new ArrayList<>();
        for (Supervision s : status.services()) {
            Map<String, Object> service = new LinkedHashMap<>();
            service.put("name", s.name());
            service.put("state", s.state() == null ? null : s.state().name());
            service.put("failures", s.failures());
            service.put("consecutive_failures", s.consecutiveFailures());
            service.put("backoff_until", text(s.backoffUntil()));
            service.put("quarantined", s.quarantined());
            service.put("quarantined_since", text(s.quarantinedSince()));
            service.put("last_error", s.lastError() == null ? null : Secrets.mask(s.lastError()));
            service.put("note", s.note());
            services.add(service);
        }
        out.put("services", services);
        List<Map<String, Object>> manifests = new ArrayList<>();
        ManifestApplier cluster = applier;
        if (cluster != null) {
            for (ManifestApplier.ManifestStatus m : cluster.manifests()) {
                Map<String, Object> manifest = new LinkedHashMap<>();
                manifest.put("service", m.service());
                manifest.put("glob", m.glob());
                manifest.put("version", m.version());
                manifest.put("objects", m.objects());
                manifest.put("ready", m.ready());
                manifest.put("note", m.note() == null ? null : Secrets.mask(m.note()));
                manifest.put("at", text(m.at()));
                manifests.add(manifest);
            }
        }
        out.put("manifests", manifests);
        return Functions.Reply.ok(out);
    }

    private ManifestApplier applierOr503() {
        ManifestApplier cluster = applier;
        if (cluster == null) {
            throw new ApiError(503, NO_KUBE);
        }
        return cluster;
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    /**
     * {@code manifest} as it may be sent back: {@link Secrets#mask} hides the values of its Secret documents
     * ({@code data}, {@code stringData}) and of secret keys, as everywhere else.
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> maskSecrets(Map<String, Object> manifest) {
        return (Map<String, Object>) Secrets.mask(manifest);
    }
}
