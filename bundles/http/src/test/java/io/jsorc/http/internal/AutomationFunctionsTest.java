package io.jsorc.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jsorc.api.ServiceState;
import io.jsorc.api.config.GlobException;
import io.jsorc.api.config.Origin;
import io.jsorc.api.spi.AutomationProvider;
import io.jsorc.api.spi.AutomationStatus;
import io.jsorc.api.spi.ManifestApplier;
import io.jsorc.api.spi.Supervision;
import io.jsorc.api.spi.TickReport;
import io.jsorc.testkit.TestKit;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code apply_yaml}, {@code load_yaml} and {@code jsorc_status} over a real Jetty, with a fake Kubernetes part and a
 * fake loop bound and unbound as DS would. Every answer is checked against the OpenAPI document.
 */
class AutomationFunctionsTest {

    static final String ADMIN = AdminServletTest.basic("admin", "pw");
    static final long BODY_LIMIT = 64 * 1024;
    static final long MANIFEST_LIMIT = 256 * 1024;
    static final ObjectMapper JSON = new ObjectMapper();
    static final String YAML = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: redis\ndata:\n  mode: cluster\n";

    static TestKit kit;
    static LocalJetty jetty;
    static AdminServlet servlet;
    static String base;
    static final HttpClient CLIENT = HttpClient.newHttpClient();
    static final OpenApiCheck OPEN_API = OpenApiCheck.load();

    /** The Kubernetes part: records what it was asked, answers {@link #answer} or throws {@link #failure}. */
    static final class FakeApplier implements ManifestApplier {
        final List<List<Object>> calls = new CopyOnWriteArrayList<>();
        volatile Map<String, Object> answer = Map.of();
        volatile RuntimeException failure;
        volatile List<ManifestStatus> manifests = List.of();

        @Override
        public String describe() {
            return "fake";
        }

        @Override
        public Applied apply(String service, Map<String, Object> manifest, Map<String, Object> manifestMeta,
                String namespace) {
            throw new UnsupportedOperationException("not used by the HTTP API");
        }

        @Override
        public Map<String, Object> applyYaml(String name, String yaml, String paraphrase, boolean adopt,
                Origin origin) {
            calls.add(List.of("apply", name, yaml, paraphrase, adopt, origin.actor() + "/" + origin.source()));
            return answerOrFail();
        }

        @Override
        public Map<String, Object> loadYaml(String yaml, String namespace, Origin origin) {
            calls.add(List.of("load", yaml, namespace, origin.actor() + "/" + origin.source()));
            return answerOrFail();
        }

        private Map<String, Object> answerOrFail() {
            if (failure != null) {
                throw failure;
            }
            return answer;
        }

        @Override
        public List<ManifestStatus> manifests() {
            return manifests;
        }
    }

    /** Stands for fabric8's KubernetesClientException, which the HTTP bundle must not name. */
    static final class KubernetesClientException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        KubernetesClientException(String message) {
            super(message);
        }
    }

    /** The loop: answers a fixed status. */
    record FakeLoop(AutomationStatus status) implements AutomationProvider {
        @Override
        public boolean isRunning() {
            return status.running();
        }

        @Override
        public void metaConfigRead(long sequence, Map<String, Object> metaConfig) {
        }

        @Override
        public void serviceRefreshed(String name) {
        }

        @Override
        public Optional<Supervision> supervision(String name) {
            return Optional.empty();
        }

        @Override
        public TickReport check() {
            throw new UnsupportedOperationException("not used by the HTTP API");
        }
    }

    record Answer(int status, JsonNode body, String raw) {
    }

    final FakeApplier applier = new FakeApplier();
    final List<AutomationProvider> loops = new ArrayList<>();

    @BeforeAll
    static void serve() throws Exception {
        kit = TestKit.create();
        servlet = new AdminServlet(kit.configApi(), kit.meta(),
                h -> ADMIN.equals(h) ? new Authenticator.Login("admin", true) : null,
                new AdminServlet.Limits(BODY_LIMIT, MANIFEST_LIMIT, Set.of()));
        // Jetty's own cap above the API's limit, as in Karaf (16 MiB against max.manifest.body): the API refuses first
        jetty = new LocalJetty(servlet, 4 * MANIFEST_LIMIT);
        base = jetty.base;
    }

    @AfterAll
    static void stop() throws Exception {
        jetty.stop();
        kit.close();
    }

    @AfterEach
    void unbind() {
        servlet.unsetApplier(applier);
        loops.forEach(servlet::unsetLoop);
    }

    static HttpRequest.Builder request(String fn) {
        return HttpRequest.newBuilder(URI.create(base + fn)).header("Authorization", ADMIN);
    }

    static Answer post(String fn, Object body) throws Exception {
        return send(fn, request(fn).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
    }

    /** Parts as {name, file name or null, content}: a part with a file name is an upload. */
    static HttpRequest.Builder multipart(String fn, String[]... parts) {
        String boundary = "----jsorc" + System.nanoTime();
        StringBuilder body = new StringBuilder();
        for (String[] part : parts) {
            body.append("--").append(boundary).append("\r\nContent-Disposition: form-data; name=\"").append(part[0])
                    .append('"').append(part[1] == null ? "" : "; filename=\"" + part[1] + "\"").append("\r\n")
                    .append(part[1] == null ? "" : "Content-Type: application/yaml\r\n").append("\r\n")
                    .append(part[2]).append("\r\n");
        }
        body.append("--").append(boundary).append("--\r\n");
        return request(fn).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .header(AdminServlet.REQUESTED_BY, "test")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
    }

    /** Sends, and checks the answer against the OpenAPI document. */
    static Answer send(String fn, HttpRequest.Builder builder) throws Exception {
        HttpResponse<String> response = CLIENT.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body = JSON.readTree(response.body());
        assertEquals(List.of(), OPEN_API.check(fn, response.statusCode(), body),
                fn + " answered " + response.statusCode() + " " + response.body());
        if (response.statusCode() >= 400) {
            assertEquals(false, body.path("success").asBoolean(true), response.body());
        }
        return new Answer(response.statusCode(), body, response.body());
    }

    // ---- apply_yaml ----

    @Test
    void applyYamlByMultipartTakesTheFirstUploadedFileAndTheTextFields() throws Exception {
        servlet.setApplier(applier);
        applier.answer = Map.of("ConfigMap", List.of(Map.of("kind", "ConfigMap", "metadata", Map.of("name", "redis"))));
        Answer answer = send("apply_yaml", multipart("apply_yaml", new String[] {"name", null, "REDIS_MANIFEST"},
                new String[] {"file", "redis.yaml", YAML}, new String[] {"unsafe_paraphrase", null,
                        ManifestApplier.UNSAFE_PARAPHRASE}, new String[] {"adopt", null, "true"},
                new String[] {"more", "other.yaml", "kind: Secret\n"}));
        assertEquals(200, answer.status(), answer.raw());
        assertEquals(List.of(List.of("apply", "REDIS_MANIFEST", YAML, ManifestApplier.UNSAFE_PARAPHRASE, true,
                "admin/http")), applier.calls);
        assertEquals("redis", answer.body().at("/ConfigMap/0/metadata/name").asText(), answer.raw());
    }

    @Test
    void applyYamlByJsonTakesTheYamlAsTextWithTheOriginalsDefaults() throws Exception {
        servlet.setApplier(applier);
        Answer answer = post("apply_yaml", Map.of("name", "REDIS_MANIFEST", "file", YAML));
        assertEquals(200, answer.status(), answer.raw());
        assertEquals(List.of(List.of("apply", "REDIS_MANIFEST", YAML, "", false, "admin/http")), applier.calls);
        assertEquals(400, post("apply_yaml", Map.of("name", "REDIS_MANIFEST", "file", YAML, "adopt", "yes")).status());
        assertEquals(400, post("apply_yaml", Map.of("name", "REDIS_MANIFEST")).status(), "file is required");
        assertEquals(1, applier.calls.size(), "refused bodies never reach the applier");
    }

    @Test
    void theValuesOfSecretDocumentsAreNeverSentBack() throws Exception {
        servlet.setApplier(applier);
        Map<String, Object> secret = new LinkedHashMap<>();
        secret.put("kind", "Secret");
        secret.put("metadata", Map.of("name", "redis-auth"));
        secret.put("data", Map.of("password", "c2VjcmV0cHc="));
        secret.put("stringData", Map.of("token", "plain-token-value"));
        applier.answer = Map.of("Secret", List.of(secret),
                "ConfigMap", List.of(Map.of("kind", "ConfigMap", "data", Map.of("mode", "cluster"))));
        Answer stored = post("apply_yaml", Map.of("name", "REDIS_MANIFEST", "file", YAML));
        assertEquals(200, stored.status(), stored.raw());
        assertEquals(io.jsorc.api.config.Secrets.MASK, stored.body().at("/Secret/0/data/password").asText(), stored.raw());
        assertEquals(io.jsorc.api.config.Secrets.MASK, stored.body().at("/Secret/0/stringData/token").asText(), stored.raw());
        assertEquals("redis-auth", stored.body().at("/Secret/0/metadata/name").asText(), stored.raw());
        assertEquals("cluster", stored.body().at("/ConfigMap/0/data/mode").asText(), "other kinds are shown whole");
        assertFalse(stored.raw().contains("c2VjcmV0cHc=") || stored.raw().contains("plain-token-value"), stored.raw());

        applier.answer = Map.of("Secret", List.of(secret));
        Answer created = post("load_yaml", Map.of("file", YAML));
        assertEquals(io.jsorc.api.config.Secrets.MASK, created.body().at("/Secret/0/data/password").asText(), created.raw());
        assertFalse(created.raw().contains("plain-token-value"), created.raw());
    }

    @Test
    void badYamlIs400WithTheAppliersMessageAndTheStoresRefusalsKeepTheirStatus() throws Exception {
        servlet.setApplier(applier);
        applier.failure = new IllegalArgumentException("REDIS_MANIFEST: document 2 has no kind");
        Answer bad = post("apply_yaml", Map.of("name", "REDIS_MANIFEST", "file", "kind: [\n"));
        assertEquals(400, bad.status(), bad.raw());
        assertEquals("REDIS_MANIFEST: document 2 has no kind", bad.body().get("message").asText());

        applier.failure = new GlobException(GlobException.Reason.STORAGE, "Glob storage failed to write: disk full");
        Answer storage = post("apply_yaml", Map.of("name", "REDIS_MANIFEST", "file", YAML));
        assertEquals(503, storage.status(), storage.raw());
        assertEquals("Glob storage failed to write: disk full", storage.body().get("message").asText());
    }

    @Test
    void withoutTheKubernetesPartBothYamlFunctionsAre503SayingWhatToInstall() throws Exception {
        Map<String, Map<String, String>> bodies = Map.of("apply_yaml", Map.of("name", "REDIS_MANIFEST", "file", YAML),
                "load_yaml", Map.of("file", YAML));
        for (Map.Entry<String, Map<String, String>> c : bodies.entrySet()) {
            Answer answer = post(c.getKey(), c.getValue());
            assertEquals(503, answer.status(), c.getKey() + ": " + answer.raw());
            assertEquals("Kubernetes is not installed: feature:install jsorc-kube", answer.body().get("message")
                    .asText());
        }
        servlet.setApplier(applier);
        servlet.unsetApplier(applier);
        assertEquals(503, post("apply_yaml", Map.of("name", "REDIS_MANIFEST", "file", YAML)).status(),
                "an unbound applier is gone");
        assertTrue(applier.calls.isEmpty());
    }

    @Test
    void aYamlFileOverTheManifestLimitIsRefusedAndOneOverThePlainLimitIsNot() throws Exception {
        servlet.setApplier(applier);
        String big = "# " + "x".repeat((int) MANIFEST_LIMIT) + "\n" + YAML;
        Answer declared = send("apply_yaml", multipart("apply_yaml", new String[] {"name", null, "REDIS_MANIFEST"},
                new String[] {"file", "big.yaml", big}));
        assertEquals(413, declared.status(), declared.raw());
        String body = multipartBody(big);
        Answer chunked = send("apply_yaml", request("apply_yaml")
                .header("Content-Type", "multipart/form-data; boundary=b").header(AdminServlet.REQUESTED_BY, "t")
                .POST(HttpRequest.BodyPublishers.ofInputStream(
                        () -> new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)))));
        assertEquals(413, chunked.status(), "without a Content-Length too: " + chunked.raw());
        assertTrue(applier.calls.isEmpty(), "nothing reached the applier");

        String larger = "# " + "x".repeat((int) BODY_LIMIT) + "\n" + YAML;
        Answer loaded = post("load_yaml", Map.of("file", larger));
        assertEquals(200, loaded.status(), "a YAML file may exceed max.body up to max.manifest.body");
        assertEquals(larger, applier.calls.get(0).get(1));
    }

    private static String multipartBody(String file) {
        return "--b\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nREDIS_MANIFEST\r\n"
                + "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.yaml\"\r\n\r\n" + file
                + "\r\n--b--\r\n";
    }

    // ---- load_yaml ----

    @Test
    void loadYamlWithAutomationOffAnswersTheOriginalsMessage() throws Exception {
        servlet.setApplier(applier);
        applier.answer = Map.of("message", "load_yaml is not supported on non automated JsOrc!");
        Answer answer = post("load_yaml", Map.of("file", YAML));
        assertEquals(200, answer.status(), answer.raw());
        assertEquals("load_yaml is not supported on non automated JsOrc!", answer.body().get("message").asText());
        assertEquals(List.of(List.of("load", YAML, "default", "admin/http")), applier.calls);

        Answer multipart = send("load_yaml", multipart("load_yaml", new String[] {"upload", "all.yaml", YAML},
                new String[] {"namespace", null, "jaseci"}));
        assertEquals(200, multipart.status(), multipart.raw());
        assertEquals(List.of("load", YAML, "jaseci", "admin/http"), applier.calls.get(1));
    }

    @Test
    void loadYamlMapsBadYamlTo400AnUnreachableClusterTo503AndARefusalTo502() throws Exception {
        servlet.setApplier(applier);
        applier.failure = new IllegalArgumentException("Bad YAML: mapping values are not allowed here");
        Answer bad = post("load_yaml", Map.of("file", "a: b: c"));
        assertEquals(400, bad.status(), bad.raw());
        assertEquals("Bad YAML: mapping values are not allowed here", bad.body().get("message").asText());

        applier.failure = new IllegalStateException("Kubernetes unreachable: kube is FAILED");
        Answer away = post("load_yaml", Map.of("file", YAML));
        assertEquals(503, away.status(), away.raw());
        assertEquals("Kubernetes unreachable: kube is FAILED", away.body().get("message").asText());

        applier.failure = new KubernetesClientException("Failure executing: POST at: https://k:6443/api/v1/"
                + "namespaces/default/configmaps. Message: configmaps \"redis\" already exists.");
        Answer refused = post("load_yaml", Map.of("file", YAML, "namespace", "default"));
        assertEquals(502, refused.status(), refused.raw());
        assertTrue(refused.body().get("message").asText().startsWith("Kubernetes refused: Failure executing: POST"),
                refused.raw());
        assertFalse(refused.raw().contains("KubernetesClientException"), "no exception type leaks: " + refused.raw());
    }

    // ---- jsorc_status ----

    @Test
    void jsorcStatusShowsTheLoopEachServiceAndTheAppliedManifests() throws Exception {
        Instant at = Instant.parse("2026-01-02T03:04:05Z");
        AutomationStatus status = new AutomationStatus(true, true, 42, at, Duration.ofMillis(1500),
                at.plusSeconds(30), 30, "Kubernetes namespace default at https://k:6443", List.of(
                        new Supervision("redis", ServiceState.FAILED, 3, 2, at.plusSeconds(60), at,
                                "cannot reach redis://user:pw0rd@r:6379", "quarantined: crash loop"),
                        new Supervision("ghost", null, 0, 0, null, null, null, "not registered")));
        bindLoop(new FakeLoop(status));
        Answer alone = post("jsorc_status", Map.of());
        assertEquals(200, alone.status(), alone.raw());
        JsonNode body = alone.body();
        assertEquals(42, body.get("ticks").asInt());
        assertEquals("2026-01-02T03:04:05Z", body.get("last_tick").asText());
        assertEquals(1500, body.get("last_tick_ms").asInt());
        assertEquals("2026-01-02T03:04:35Z", body.get("next_tick").asText());
        assertEquals("Kubernetes namespace default at https://k:6443", body.get("cluster").asText());
        JsonNode redis = body.at("/services/0");
        assertEquals("FAILED", redis.get("state").asText());
        assertEquals(2, redis.get("consecutive_failures").asInt());
        assertTrue(redis.get("quarantined").asBoolean());
        assertEquals("2026-01-02T03:05:05Z", redis.get("backoff_until").asText());
        assertFalse(redis.get("last_error").asText().contains("pw0rd"), "URL credentials masked: " + alone.raw());
        assertTrue(body.at("/services/1/state").isNull(), alone.raw());
        assertFalse(body.at("/services/1/quarantined").asBoolean(true));
        assertEquals(0, body.get("manifests").size(), "no Kubernetes part, no manifests");

        applier.manifests = List.of(new ManifestApplier.ManifestStatus("redis", "REDIS_MANIFEST", "7", 4, true,
                "created 4 objects", at));
        servlet.setApplier(applier);
        JsonNode manifest = post("jsorc_status", Map.of()).body().at("/manifests/0");
        assertEquals("REDIS_MANIFEST", manifest.get("glob").asText());
        assertEquals("7", manifest.get("version").asText());
        assertEquals(4, manifest.get("objects").asInt());
        assertTrue(manifest.get("ready").asBoolean());
        assertEquals("2026-01-02T03:04:05Z", manifest.get("at").asText());
    }

    @Test
    void jsorcStatusWithoutTheLoopIs503() throws Exception {
        Answer answer = post("jsorc_status", Map.of());
        assertEquals(503, answer.status(), answer.raw());
        assertEquals("The JsOrc loop is not running (feature jsorc-loop)", answer.body().get("message").asText());
        assertEquals(400, post("jsorc_status", Map.of("name", "x")).status(), "it takes no fields");
    }

    private void bindLoop(AutomationProvider loop) {
        loops.add(loop);
        servlet.setLoop(loop);
    }
}
