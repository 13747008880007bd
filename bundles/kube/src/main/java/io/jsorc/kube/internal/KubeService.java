package io.jsorc.kube.internal;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.VersionInfo;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.jsorc.api.CommonService;
import io.jsorc.api.Hook;
import io.jsorc.api.ServiceProperties;
import io.jsorc.api.config.Secrets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.ServiceScope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code kube} service: a fabric8 {@link KubernetesClient} as its app, built from {@code META_CONFIG.kubernetes}
 * ({@code in_cluster}: the pod's service account; {@code config}: a kubeconfig path or the kubeconfig text itself, a
 * secret), pinged at start ({@code GET /version}), closed on reset. {@code KUBE_CONFIG} holds only {@code enabled}
 * and {@code quiet}. A bad kube config FAILS the service with one readable line ({@code service-info},
 * {@code jsorc:status}); the original silently turned automation off.
 */
@Component(scope = ServiceScope.PROTOTYPE, service = CommonService.class,
        configurationPolicy = ConfigurationPolicy.IGNORE,
        property = {
            ServiceProperties.SERVICE_NAME + "=" + KubeService.NAME,
            ServiceProperties.SERVICE_CONFIG + "=" + KubeService.CONFIG,
            ServiceProperties.SERVICE_START_TIMEOUT + ":Integer=30",
            ServiceProperties.SERVICE_STOP_TIMEOUT + ":Integer=10" })
public class KubeService extends CommonService<KubernetesClient> {

    /** The service name. */
    public static final String NAME = "kube";
    /** The glob it reads. */
    public static final String CONFIG = "KUBE_CONFIG";
    /** {@code KUBE_CONFIG} as first written. */
    public static final Map<String, Object> DEFAULTS;

    static {
        Map<String, Object> defaults = new LinkedHashMap<>();
        defaults.put("enabled", true);
        defaults.put("quiet", false);
        DEFAULTS = Collections.unmodifiableMap(defaults);
    }

    static final String SERVICE_ACCOUNT = "/var/run/secrets/kubernetes.io/serviceaccount";
    /** Seconds for a connection and for one request; one retry of a 5xx inside the client, then the loop's backoff. */
    static final int TIMEOUT_MS = 10_000;

    private static final Logger LOG = LoggerFactory.getLogger(KubeService.class);

    /** Where the running client points ({@code https://host:port}), for status. */
    private volatile String where = "Kubernetes";

    @Override
    protected Map<String, Object> buildConfig(Hook hook) {
        return hook.serviceGlob(CONFIG, DEFAULTS);
    }

    @Override
    protected KubernetesClient run(Hook hook) {
        Map<String, Object> kubernetes = kubernetesSettings(hook.getGlob("META_CONFIG"));
        Config config = config(kubernetes, System.getenv(), Path.of(SERVICE_ACCOUNT));
        KubernetesClient client = new KubernetesClientBuilder().withConfig(config)
                .withHttpClientFactory(new JdkHttpClientFactory()).build();
        String at = "Kubernetes at " + config.getMasterUrl();
        try {
            VersionInfo version = client.getKubernetesVersion();
            if (version == null || version.getGitVersion() == null) {
                throw new IllegalStateException(at + " answered GET /version without a version: is it an API server?");
            }
            where = at;
            if (!isQuiet()) {
                LOG.info("{} reached (Kubernetes {})", at, version.getGitVersion());
            }
            return client;
        } catch (KubernetesClientException e) {
            client.close();
            throw new IllegalStateException(at + " is unreachable: " + reason(e));
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }

    @Override
    protected void closeApp(KubernetesClient app) {
        app.close();
    }

    /** Where the client points, for status. */
    public String where() {
        return where;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> kubernetesSettings(Object metaConfig) {
        if (metaConfig instanceof Map<?, ?> meta && meta.get("kubernetes") instanceof Map<?, ?> kubernetes) {
            return (Map<String, Object>) Secrets.resolve(kubernetes);
        }
        return Map.of("in_cluster", true);
    }

    /**
     * The client's config: {@code config} (kubeconfig text, or a path to one) wins; else {@code in_cluster} (default
     * true) reads the service account; else the default kubeconfig ({@code $KUBECONFIG}, {@code ~/.kube/config}).
     *
     * @throws IllegalArgumentException with one readable line
     */
    static Config config(Map<String, Object> kubernetes, Map<String, String> env, Path serviceAccount) {
        Object given = kubernetes.get("config");
        Config config;
        if (given instanceof String text && !text.isBlank()) {
            config = fromKubeconfig(text);
        } else if (given != null && !(given instanceof String)) {
            throw new IllegalArgumentException("META_CONFIG.kubernetes.config must be a kubeconfig path or text");
        } else if (!Boolean.FALSE.equals(kubernetes.get("in_cluster"))) {
            config = inCluster(env, serviceAccount);
        } else {
            try {
                config = Config.autoConfigure(null);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("The default kubeconfig ($KUBECONFIG or ~/.kube/config) is not "
                        + "usable: " + e.getMessage(), e);
            }
        }
        config.setConnectionTimeout(TIMEOUT_MS);
        config.setRequestTimeout(TIMEOUT_MS);
        config.setRequestRetryBackoffLimit(1);
        return config;
    }

    /**
     * A kubeconfig from {@code text}: the text itself when it looks like one (a newline, {@code apiVersion}, JSON), else
     * the path of a file. Nothing of the value (which may be the kubeconfig itself, pasted on one line) ever goes into
     * an error: only what kind of value it was and the exception's type; and no cause is kept (a parser's message,
     * shown as the error's detail, may quote its input).
     */
    private static Config fromKubeconfig(String text) {
        String trimmed = text.trim();
        boolean inline = text.contains("\n") || trimmed.startsWith("apiVersion") || trimmed.startsWith("{");
        String contents = text;
        String source = "the kubeconfig text in META_CONFIG.kubernetes.config";
        if (!inline) {
            source = "the kubeconfig file named in META_CONFIG.kubernetes.config";
            try {
                Path path = Path.of(trimmed.startsWith("~/") ? System.getProperty("user.home") + trimmed.substring(1)
                        : trimmed);
                contents = Files.readString(path);
            } catch (IOException | UncheckedIOException | java.nio.file.InvalidPathException e) {
                throw new IllegalArgumentException(source + " cannot be read (" + e.getClass().getSimpleName()
                        + "): give a readable path or the kubeconfig text");
            }
        }
        Config config;
        try {
            config = Config.fromKubeconfig(contents);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(source + " is not a usable kubeconfig ("
                    + e.getClass().getSimpleName() + ")");
        }
        if (config.getMasterUrl() == null || config.getMasterUrl().isBlank()) {
            throw new IllegalArgumentException(source + " names no server");
        }
        return config;
    }

    private static Config inCluster(Map<String, String> env, Path serviceAccount) {
        String host = env.get("KUBERNETES_SERVICE_HOST");
        String port = env.getOrDefault("KUBERNETES_SERVICE_PORT", "443");
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("META_CONFIG.kubernetes.in_cluster is true but this is not a pod "
                    + "(KUBERNETES_SERVICE_HOST is not set): set META_CONFIG.kubernetes.config to a kubeconfig path or "
                    + "text, or in_cluster to false to use ~/.kube/config");
        }
        Path token = serviceAccount.resolve("token");
        if (!Files.isReadable(token)) {
            throw new IllegalArgumentException("In-cluster: the service account token " + token + " is not readable");
        }
        String url = "https://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        ConfigBuilder builder = new ConfigBuilder(Config.empty()).withMasterUrl(url)
                // read at every request: a projected token is rotated by the kubelet
                .withOauthTokenProvider(() -> {
                    try {
                        return Files.readString(token).trim();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
        Path ca = serviceAccount.resolve("ca.crt");
        if (Files.isReadable(ca)) {
            builder.withCaCertFile(ca.toString());
        }
        Path namespace = serviceAccount.resolve("namespace");
        if (Files.isReadable(namespace)) {
            try {
                builder.withNamespace(Files.readString(namespace).trim());
            } catch (IOException e) {
                // the namespace comes from META_CONFIG.namespace anyway
            }
        }
        return builder.build();
    }

    private static String reason(KubernetesClientException e) {
        if (e.getCode() == 401 || e.getCode() == 403) {
            return "HTTP " + e.getCode() + " (the credentials were refused)";
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName()
                : root.getClass().getSimpleName() + ": " + root.getMessage();
        return e.getCode() > 0 ? "HTTP " + e.getCode() + " " + message : message;
    }
}
