package io.jsorc.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.IOException;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.After;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.OptionUtils;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * The seed's walkthrough on Kubernetes, end to end: Karaf (the distribution) pointed at the fabric8 mock API server
 * running in the test driver. Feature {@code jsorc-kube} installs offline; {@code config_set META_CONFIG}
 * (automation, a kubeconfig), {@code service_refresh meta}; {@code jsorc:apply-yaml REDIS_MANIFEST} and a refresh of
 * redis → the loop creates the objects; the test marks the pod Running and Ready → redis RUNNING (a real
 * redis-server); a version without the PVC → the PVC kept and the original's message logged; with the paraphrase →
 * deleted. Removing the feature leaves no thread and no class loader of it.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class KubernetesIT extends JsorcTestSupport {

    static final String NS = "jsorc-it";
    /** The test's own admin (this Karaf binds 127.0.0.1 only and lives for the test). */
    static final String IT_PASSWORD = "itest-kube-walkthrough";

    private Process redis;

    @Override
    @org.ops4j.pax.exam.Configuration
    public Option[] config() {
        try {
            Path kubeconfig = MockApiServer.start(Path.of("target/kube-it").toAbsolutePath());
            return OptionUtils.combine(super.config(), systemProperty("jsorc.it.kubeconfig")
                    .value(kubeconfig.toString()),
                    // bin/setenv makes the admin user at a first bin/start; Pax Exam starts Karaf without it
                    org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut(
                            "etc/users.properties", "itest", IT_PASSWORD + ",_g_:admingroup"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @After
    public void stopRedis() throws Exception {
        if (redis != null && redis.isAlive()) {
            redis.destroy();
            if (!redis.waitFor(5, TimeUnit.SECONDS)) {
                redis.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    private static final String MANIFEST = """
            apiVersion: v1
            kind: Service
            metadata:
              name: jaseci-redis
            spec:
              selector: {pod: jaseci-redis}
              ports: [{protocol: TCP, port: 6379, targetPort: 6379}]
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: jaseci-redis
            spec:
              replicas: 1
              selector: {matchLabels: {pod: jaseci-redis}}
              template:
                metadata: {labels: {pod: jaseci-redis}}
                spec:
                  containers: [{name: jaseci-redis-master, image: redis, ports: [{containerPort: 6379}]}]
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: jaseci-redis-config
            data:
              redis-config: "maxmemory 1000mb"
            """;

    private static final String CLAIM = """
            ---
            apiVersion: v1
            kind: PersistentVolumeClaim
            metadata:
              name: redis-data
            spec:
              accessModes: [ReadWriteOnce]
              resources: {requests: {storage: 1Gi}}
            """;

    @Test
    public void theSeedsWalkthroughOnKubernetes() throws Exception {
        String kubeconfig = System.getProperty("jsorc.it.kubeconfig");
        String api = "http://127.0.0.1:" + Files.readString(Path.of(kubeconfig)).replaceAll("(?s).*127\\.0\\.0\\.1:(\\d+).*", "$1");
        int port = startRedis();
        executeCommand("jsorc:config-set --no-check REDIS_CONFIG '{\"host\":\"127.0.0.1\",\"port\":" + port + "}'");
        asAdmin("feature:install jsorc-redis");
        asAdmin("feature:install jsorc-kube");
        executeCommand("jsorc:config-set META_CONFIG '{\"automation\":true,\"keep_alive\":[\"redis\"],"
                + "\"backoff_interval\":1,\"namespace\":\"" + NS + "\",\"kubernetes\":{\"in_cluster\":false,"
                + "\"config\":\"" + kubeconfig + "\"}}'");
        executeCommand("jsorc:service-refresh meta");
        awaitCommandOutput("jsorc:service-info kube", "kube RUNNING", out -> out.contains("RUNNING"),
                Duration.ofSeconds(60));
        awaitCommandOutput("jsorc:status", "the manifests line naming the mock", out -> out.contains(
                "Kubernetes at " + api + "/, namespace " + NS), Duration.ofSeconds(30));

        Path v1 = Path.of(kubeconfig).resolveSibling("v1.yaml");
        Files.writeString(v1, MANIFEST + CLAIM);
        assertTrue(executeCommand("jsorc:apply-yaml REDIS_MANIFEST " + v1).contains("REDIS_MANIFEST stored: 4 documents"));
        executeCommand("jsorc:service-refresh redis");
        await("the loop created the objects", () -> get(api, "/api/v1/namespaces/" + NS + "/configmaps/jaseci-redis-config") == 200
                && get(api, "/apis/apps/v1/namespaces/" + NS + "/deployments/jaseci-redis") == 200
                && get(api, "/api/v1/namespaces/" + NS + "/persistentvolumeclaims/redis-data") == 200);
        awaitCommandOutput("jsorc:status", "redis waiting for its pod", out -> out.contains("REDIS_MANIFEST (redis)")
                && out.contains("0/1 pods Running and Ready"), Duration.ofSeconds(30));
        assertFalse(executeCommand("jsorc:service-info redis").contains("RUNNING"));

        post(api, "/api/v1/namespaces/" + NS + "/pods", """
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"jaseci-redis-1","labels":{"pod":"jaseci-redis"}},
                 "spec":{"containers":[{"name":"redis","image":"redis"}]},
                 "status":{"phase":"Running","conditions":[{"type":"Ready","status":"True"}]}}""");
        awaitCommandOutput("jsorc:service-info redis", "redis RUNNING once its pod is ready",
                out -> out.contains("RUNNING"), Duration.ofSeconds(60));

        Path v2 = Path.of(kubeconfig).resolveSibling("v2.yaml");
        Files.writeString(v2, MANIFEST.replace("maxmemory 1000mb", "maxmemory 500mb"));
        String plan = executeCommand("jsorc:manifest-diff REDIS_MANIFEST " + v2);
        assertTrue(plan, plan.contains("data.redis-config: \"maxmemory 1000mb\" → \"maxmemory 500mb\""));
        assertTrue(plan, plan.contains("keep      PersistentVolumeClaim " + NS + "/redis-data"));
        executeCommand("jsorc:apply-yaml REDIS_MANIFEST " + v2);
        executeCommand("jsorc:check");
        await("the ConfigMap patched", () -> body(api, "/api/v1/namespaces/" + NS + "/configmaps/jaseci-redis-config")
                .contains("maxmemory 500mb"));
        assertEquals("the PVC kept without the paraphrase", 200,
                get(api, "/api/v1/namespaces/" + NS + "/persistentvolumeclaims/redis-data"));
        await("the original's message logged", () -> log().contains("You don't have permission to delete "
                + "`PersistentVolumeClaim` for `redis-data` with namespace `" + NS + "`!"));

        // the console's quoting of an apostrophe, as bin/jsorc writes it: 'I know what I'\''m doing!'
        assertTrue(executeCommand("jsorc:apply-yaml --unsafe-paraphrase 'I know what I'\\''m doing!' REDIS_MANIFEST "
                + v2).contains("unsafe paraphrase kept for this version"));
        executeCommand("jsorc:check");
        await("the PVC deleted with the paraphrase",
                () -> get(api, "/api/v1/namespaces/" + NS + "/persistentvolumeclaims/redis-data") == 404);
        // over HTTP, as the original's client sent it: a multipart upload
        String answer = multipart("apply_yaml", "REDIS_MANIFEST", MANIFEST.replace("maxmemory 1000mb",
                "maxmemory 250mb"));
        assertTrue(answer, answer.contains("\"ConfigMap\"") && answer.contains("maxmemory 250mb"));
        String status = http("jsorc_status", "{}");
        assertTrue(status, status.contains("\"glob\":\"REDIS_MANIFEST\""));
        String history = executeCommand("jsorc:manifest-history REDIS_MANIFEST");
        assertTrue(history, history.contains("1 Service, 1 Deployment, 1 ConfigMap, 1 PersistentVolumeClaim"));

        java.lang.ref.WeakReference<ClassLoader> loader = new java.lang.ref.WeakReference<>(Arrays
                .stream(bundleContext.getBundles()).filter(b -> "io.jsorc.kube".equals(b.getSymbolicName()))
                .findFirst().orElseThrow().adapt(org.osgi.framework.wiring.BundleWiring.class).getClassLoader());
        asAdmin("feature:uninstall jsorc-kube");
        awaitCommandOutput("jsorc:service-list", "no kube", out -> !out.contains("kube"), Duration.ofSeconds(30));
        org.awaitility.Awaitility.await("the kube bundle's threads and class loader gone")
                .atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
                    System.gc();
                    return loader.get() == null && Thread.getAllStackTraces().keySet().stream().noneMatch(t ->
                            t.getName().startsWith("jsorc/kube") || t.getName().startsWith("HttpClient-"));
                });
    }

    /** POST /js_admin/FN as user itest (an admin added to etc/users.properties) on this Karaf's HTTP port. */
    private static HttpURLConnection admin(String function, String contentType) throws IOException {
        Path etc = Path.of(System.getProperty("karaf.etc"));
        String port = Files.readAllLines(etc.resolve("org.ops4j.pax.web.cfg")).stream()
                .filter(l -> l.startsWith("org.osgi.service.http.port")).map(l -> l.split("=", 2)[1].trim())
                .findFirst().orElseThrow();
        String password = IT_PASSWORD;      // Karaf hashes it in users.properties at its start
        HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/js_admin/" + function)
                .toURL().openConnection();
        c.setRequestMethod("POST");
        c.setDoOutput(true);
        c.setRequestProperty("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                ("itest:" + password).getBytes(StandardCharsets.UTF_8)));
        c.setRequestProperty("Content-Type", contentType);
        c.setRequestProperty("X-Requested-By", "itest");
        return c;
    }

    private static String answer(HttpURLConnection c) throws IOException {
        int code = c.getResponseCode();
        try (var in = code < 400 ? c.getInputStream() : c.getErrorStream()) {
            String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(body, 200, code);
            return body;
        } finally {
            c.disconnect();
        }
    }

    private static String http(String function, String json) throws IOException {
        HttpURLConnection c = admin(function, "application/json");
        try (OutputStream out = c.getOutputStream()) {
            out.write(json.getBytes(StandardCharsets.UTF_8));
        }
        return answer(c);
    }

    private static String multipart(String function, String name, String yaml) throws IOException {
        String boundary = "jsorc-it-boundary";
        HttpURLConnection c = admin(function, "multipart/form-data; boundary=" + boundary);
        String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\n" + name + "\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"m.yaml\"\r\n"
                + "Content-Type: application/x-yaml\r\n\r\n" + yaml + "\r\n--" + boundary + "--\r\n";
        try (OutputStream out = c.getOutputStream()) {
            out.write(body.getBytes(StandardCharsets.UTF_8));
        }
        return answer(c);
    }

    private int startRedis() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Path binary = Path.of("/usr/bin/redis-server");
        assertTrue("Debian's redis-server is installed (.ci/test installs it)", Files.isExecutable(binary));
        redis = new ProcessBuilder(List.of(binary.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no")).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        int p = port;
        await("redis-server listening on " + port, () -> {
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", p)) {
                return true;
            } catch (IOException e) {
                return false;
            }
        });
        return port;
    }

    private static void await(String what, java.util.concurrent.Callable<Boolean> condition) {
        org.awaitility.Awaitility.await(what).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .ignoreExceptions().until(condition);
    }

    private static String log() throws IOException {
        return Files.readString(Path.of(System.getProperty("karaf.data"), "log", "karaf.log"));
    }

    private static int get(String api, String path) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create(api + path).toURL().openConnection();
        try {
            return c.getResponseCode();
        } finally {
            c.disconnect();
        }
    }

    private static String body(String api, String path) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create(api + path).toURL().openConnection();
        try (var in = c.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            c.disconnect();
        }
    }

    private static void post(String api, String path, String json) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create(api + path).toURL().openConnection();
        c.setRequestMethod("POST");
        c.setDoOutput(true);
        c.setRequestProperty("Content-Type", "application/json");
        try (OutputStream out = c.getOutputStream()) {
            out.write(json.getBytes(StandardCharsets.UTF_8));
        }
        assertEquals(201, c.getResponseCode());
        c.disconnect();
    }

}
