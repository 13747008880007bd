package io.jsorc.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jsorc.api.CommonService;
import io.jsorc.api.Hook;
import io.jsorc.api.ServiceState;
import io.jsorc.api.config.GlobValue;
import io.jsorc.testkit.TestKit;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The servlet served by a real Jetty (the one pax-web runs in Karaf) over the real config API and MetaService of the
 * test kit. Every answer of a function is checked against the OpenAPI document the servlet serves.
 */
class AdminServletTest {

    static final String ADMIN = basic("admin", "pw");
    static final String VIEWER = basic("viewer", "pw");
    static final long BODY_LIMIT = 64 * 1024;
    static final long MANIFEST_LIMIT = 256 * 1024;
    static final ObjectMapper JSON = new ObjectMapper();

    static TestKit kit;
    static LocalJetty jetty;
    static String base;
    static HttpClient client = HttpClient.newHttpClient();
    static OpenApiCheck openApi = OpenApiCheck.load();

    /** Reads ECHO_CONFIG; its app is the configured word. */
    static final class Echo extends CommonService<String> {
        @Override
        protected Map<String, Object> buildConfig(Hook hook) {
            Map<String, Object> defaults = new LinkedHashMap<>();
            defaults.put("enabled", true);
            defaults.put("word", "hello");
            defaults.put("api_key", "sk_live_secret");
            defaults.put("url", "redis://user:pw0rd@db:6379");
            return hook.serviceGlob("ECHO_CONFIG", defaults);
        }

        @Override
        protected String run(Hook hook) {
            if ("fail".equals(getConfig().get("word"))) {
                throw new IllegalStateException("cannot reach redis://user:pw0rd@db:6379");
            }
            return (String) getConfig().get("word");
        }
    }

    record Answer(int status, JsonNode body, HttpResponse<String> raw) {
        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }

    @BeforeAll
    static void serve() throws Exception {
        kit = TestKit.create();
        kit.register("echo", Echo::new);
        Map<String, Authenticator.Login> users = Map.of(ADMIN, new Authenticator.Login("admin", true),
                VIEWER, new Authenticator.Login("viewer", false));
        servlet = new AdminServlet(kit.configApi(), kit.meta(), h -> h == null ? null : users.get(h),
                new AdminServlet.Limits(BODY_LIMIT, MANIFEST_LIMIT, Set.of("https://console.example:8443")));
        jetty = new LocalJetty(servlet, MANIFEST_LIMIT);
        base = jetty.base;
    }

    @AfterAll
    static void stop() throws Exception {
        jetty.stop();
        kit.close();
    }

    @BeforeEach
    void echoDefaults() {
        kit.globs().set("ECHO_CONFIG", "{\"enabled\":true,\"word\":\"hello\",\"api_key\":\"sk_live_secret\","
                + "\"url\":\"redis://user:pw0rd@db:6379\"}", null, TestKit.TEST);
        kit.globs().delete("OTHER_MANIFEST", null, TestKit.TEST);
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    static HttpRequest.Builder request(String fn) {
        return HttpRequest.newBuilder(URI.create(base + fn)).header("Authorization", ADMIN);
    }

    static AdminServlet servlet;

    static Answer post(String fn, String json) throws Exception {
        return send(fn, request(fn).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** Sends, and checks a function's answer against the OpenAPI document. */
    static Answer send(String fn, HttpRequest.Builder builder) throws Exception {
        HttpResponse<String> response = client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body = JSON.readTree(response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"),
                response.headers().toString());
        if (openApi.doc.path("paths").has(AdminServlet.PATH + "/" + fn)) {
            List<String> problems = openApi.check(fn, response.statusCode(), body);
            assertEquals(List.of(), problems, fn + " answered " + response.statusCode() + " " + response.body());
        }
        if (response.statusCode() >= 400) {
            assertEquals(false, body.path("success").asBoolean(true), response.body());
            assertFalse(body.path("message").asText().isBlank(), response.body());
        }
        return new Answer(response.statusCode(), body, response);
    }

    static GlobValue echo() {
        return kit.globs().get("ECHO_CONFIG").orElseThrow();
    }

    // ---- the functions ----

    @Test
    void configGetAnswersTheStoredTextWithSecretsMaskedAndItsRevisionAsETag() throws Exception {
        Answer answer = post("config_get", "{\"name\":\"ECHO_CONFIG\"}");
        assertEquals(200, answer.status());
        JsonNode value = JSON.readTree(answer.body().textValue());
        assertEquals("hello", value.get("word").asText());
        assertEquals("********", value.get("api_key").asText());
        assertEquals("redis://********@db:6379", value.get("url").asText());
        assertFalse(answer.raw().body().contains("sk_live_secret") || answer.raw().body().contains("pw0rd"));
        assertEquals("\"" + echo().revision() + "\"", answer.header("ETag"));

        assertEquals(400, post("config_get", "{\"name\":\"NOPE_CONFIG\",\"do_check\":true}").status(),
                "do_check true checks the name");
        Answer absent = post("config_get", "{\"name\":\"NOPE_CONFIG\",\"do_check\":false}");
        assertEquals(200, absent.status());
        assertTrue(absent.body().isNull());
        assertEquals("\"0\"", absent.header("ETag"));
    }

    @Test
    void configSetStoresAnObjectOrJsonTextAndAnswersTheOriginalsMessageAndTheNewRevision() throws Exception {
        long before = echo().revision();
        Answer set = post("config_set", "{\"name\":\"ECHO_CONFIG\",\"value\":{\"enabled\":true,\"word\":\"bonjour\"}}");
        assertEquals(200, set.status(), set.raw().body());
        assertEquals("Config of 'ECHO_CONFIG' to '{\"enabled\":true,\"word\":\"bonjour\"}' set!", set.body().get(0).asText());
        assertEquals("\"" + (before + 1) + "\"", set.header("ETag"));
        assertEquals("{\"enabled\":true,\"word\":\"bonjour\"}", echo().json());

        Answer text = post("config_set", "{\"name\":\"ECHO_CONFIG\",\"value\":\"{\\\"word\\\": \\\"hola\\\"}\"}");
        assertEquals(200, text.status(), text.raw().body());
        assertEquals("{\"word\":\"hola\"}", echo().json());
    }

    @Test
    void theMaskSentBackKeepsTheStoredSecret() throws Exception {
        String shown = post("config_get", "{\"name\":\"ECHO_CONFIG\"}").body().textValue();
        String edited = shown.replace("hello", "salut");
        Answer set = post("config_set", JSON.writeValueAsString(Map.of("name", "ECHO_CONFIG", "value", edited)));
        assertEquals(200, set.status(), set.raw().body());
        assertFalse(set.raw().body().contains("sk_live_secret"), set.raw().body());
        Map<?, ?> stored = (Map<?, ?>) echo().value();
        assertEquals("salut", stored.get("word"));
        assertEquals("sk_live_secret", stored.get("api_key"));
        assertEquals("redis://user:pw0rd@db:6379", stored.get("url"));
    }

    @Test
    void aStaleRevisionInTheBodyOrIfMatchIs409WithTheCurrentRevisionAndChangesNothing() throws Exception {
        GlobValue before = echo();
        Answer body = post("config_set", "{\"name\":\"ECHO_CONFIG\",\"value\":{},\"rev\":" + (before.revision() - 1) + "}");
        assertEquals(409, body.status(), body.raw().body());
        assertEquals(before.revision(), body.body().get("revision").asLong());
        assertEquals("\"" + before.revision() + "\"", body.header("ETag"));
        Answer header = send("config_set", request("config_set").header("Content-Type", "application/json")
                .header("If-Match", "\"" + (before.revision() + 5) + "\"")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"ECHO_CONFIG\",\"value\":{}}")));
        assertEquals(409, header.status(), header.raw().body());
        assertEquals(before, echo());

        Answer inBody = post("config_set", "{\"name\":\"ECHO_CONFIG\",\"value\":{\"word\":\"y\"},\"rev\":"
                + before.revision() + "}");
        assertEquals(200, inBody.status(), "the revision read, in the body: " + inBody.raw().body());
        before = echo();
        Answer fresh = send("config_set", request("config_set").header("Content-Type", "application/json")
                .header("If-Match", "\"" + before.revision() + "\"")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"ECHO_CONFIG\",\"value\":{\"word\":\"x\"}}")));
        assertEquals(200, fresh.status(), fresh.raw().body());
        Answer disagree = send("config_set", request("config_set").header("Content-Type", "application/json")
                .header("If-Match", "\"3\"")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"ECHO_CONFIG\",\"value\":{},\"rev\":4}")));
        assertEquals(400, disagree.status());
        Answer garbage = send("config_set", request("config_set").header("Content-Type", "application/json")
                .header("If-Match", "*").POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"ECHO_CONFIG\",\"value\":{}}")));
        assertEquals(400, garbage.status());
        assertEquals("If-Match", garbage.body().get("field").asText());
    }

    @Test
    void configHistoryListsKeptRevisionsMaskedAndConfigRollbackWritesOneAgain() throws Exception {
        long first = echo().revision();
        post("config_update", "{\"name\":\"ECHO_CONFIG\",\"field_key\":\"word\",\"field_value\":\"ciao\"}");
        Answer history = post("config_history", "{\"name\":\"ECHO_CONFIG\"}");
        assertEquals(200, history.status(), history.raw().body());
        assertEquals(first + 1, history.body().get(0).get("revision").asLong(), "newest first");
        assertEquals("ciao", history.body().get(0).get("value").get("word").asText());
        assertEquals("********", history.body().get(0).get("value").get("api_key").asText());
        assertEquals("http", history.body().get(0).get("source").asText());
        assertFalse(history.raw().body().contains("sk_live_secret") || history.raw().body().contains("pw0rd"));

        Answer rollback = post("config_rollback", "{\"name\":\"ECHO_CONFIG\",\"revision\":" + first + "}");
        assertEquals(200, rollback.status(), rollback.raw().body());
        assertEquals("[\"Config of 'ECHO_CONFIG' rolled back to revision " + first + ": now revision " + (first + 2)
                + "\"]", rollback.raw().body());
        assertEquals("\"" + (first + 2) + "\"", rollback.header("ETag"));
        assertEquals("hello", ((Map<?, ?>) echo().value()).get("word"));

        Answer unknown = post("config_rollback", "{\"name\":\"ECHO_CONFIG\",\"revision\":999}");
        assertEquals(400, unknown.status());
        assertEquals("revision", unknown.body().get("field").asText());
        assertTrue(unknown.body().get("message").asText().startsWith("Revision 999 of ECHO_CONFIG is not kept"));
        Answer multipart = send("config_rollback", multipart("config_rollback", Map.of("name", "ECHO_CONFIG",
                "revision", Long.toString(first + 1))).header(AdminServlet.REQUESTED_BY, "curl"));
        assertEquals(200, multipart.status(), multipart.raw().body());
        assertEquals("ciao", ((Map<?, ?>) echo().value()).get("word"), "multipart: revision as text");
        Answer stale = post("config_rollback", "{\"name\":\"ECHO_CONFIG\",\"revision\":" + first + ",\"rev\":1}");
        assertEquals(409, stale.status());
        assertEquals("revision", post("config_rollback", "{\"name\":\"ECHO_CONFIG\"}").body().get("field").asText());
        assertEquals(0, post("config_history", "{\"name\":\"NEVER\",\"do_check\":false}").body().size());
    }

    @Test
    void configUpdateSetsOneFieldOrRefusesWithTheOriginalsMessages() throws Exception {
        Answer update = post("config_update", "{\"name\":\"ECHO_CONFIG\",\"field_key\":\"word\",\"field_value\":\"ciao\"}");
        assertEquals(200, update.status(), update.raw().body());
        Map<?, ?> stored = (Map<?, ?>) echo().value();
        assertEquals("ciao", stored.get("word"));
        assertEquals("sk_live_secret", stored.get("api_key"));

        Answer missing = post("config_update", "{\"name\":\"ECHO_CONFIG\",\"field_key\":\"nope\",\"field_value\":1}");
        assertEquals(400, missing.status());
        assertEquals("Field nope does not exist in config ECHO_CONFIG", missing.body().get("message").asText());

        kit.globs().set("PLAIN_GLOB", "[1,2]", null, TestKit.TEST);
        Answer notDict = post("config_update", "{\"name\":\"PLAIN_GLOB\",\"do_check\":false,\"field_key\":\"word\","
                + "\"field_value\":1}");
        assertEquals(400, notDict.status());
        assertEquals("Config PLAIN_GLOB is not a dictionary. Uses config_set to set the value for this config.",
                notDict.body().get("message").asText());
        assertEquals("[1,2]", kit.globs().get("PLAIN_GLOB").orElseThrow().json());
    }

    @Test
    void listIndexExistsAndDeleteAnswerTheOriginalsShapes() throws Exception {
        assertTrue(contains(post("config_index", "{}").body(), "ECHO_CONFIG"));
        assertTrue(contains(post("config_list", "").body(), "ECHO_CONFIG"));
        assertTrue(post("config_exists", "{\"name\":\"ECHO_CONFIG\"}").body().booleanValue());
        Answer refused = post("config_delete", "{\"name\":\"ECHO_CONFIG\",\"rev\":" + (echo().revision() + 1) + "}");
        assertEquals(409, refused.status());
        Answer deleted = post("config_delete", "{\"name\":\"ECHO_CONFIG\"}");
        assertEquals("ECHO_CONFIG Deleted.", deleted.body().get(0).asText());
        assertFalse(post("config_exists", "{\"name\":\"ECHO_CONFIG\"}").body().booleanValue());
        Answer notRecognized = post("config_delete", "{\"name\":\"FOO\"}");
        assertEquals(400, notRecognized.status());
        assertTrue(notRecognized.body().get("message").asText().startsWith("Config FOO not recognized, must be in ["),
                notRecognized.raw().body());
        assertEquals("name", notRecognized.body().get("field").asText());
    }

    private static boolean contains(JsonNode array, String text) {
        for (JsonNode item : array) {
            if (item.asText().equals(text)) {
                return true;
            }
        }
        return false;
    }

    @Test
    void serviceRefreshAppliesTheConfigAndServiceInfoShowsItWithErrorsMasked() throws Exception {
        post("config_update", "{\"name\":\"ECHO_CONFIG\",\"field_key\":\"word\",\"field_value\":\"fail\"}");
        Answer refreshed = post("service_refresh", "{\"name\":\"echo\"}");
        assertEquals(200, refreshed.status(), refreshed.raw().body());
        assertTrue(refreshed.body().get("success").booleanValue());
        Answer info = post("service_info", "{\"name\":\"echo\"}");
        assertEquals("FAILED", info.body().get("state").asText(), info.raw().body());
        assertTrue(info.body().get("last_error").asText().contains("redis://********@db"), info.raw().body());
        assertFalse(info.raw().body().contains("pw0rd"), info.raw().body());

        post("config_update", "{\"name\":\"ECHO_CONFIG\",\"field_key\":\"word\",\"field_value\":\"salut\"}");
        post("service_refresh", "{\"name\":\"echo\"}");
        assertEquals(ServiceState.RUNNING, kit.meta().info("echo").orElseThrow().state());
        assertEquals("salut", kit.meta().getService("echo", null).getApp());
        Answer list = post("service_list", "{}");
        List<String> names = new ArrayList<>();
        list.body().forEach(service -> names.add(service.get("name").asText()));
        assertEquals(List.of("echo", "meta"), names);

        Answer unknown = post("service_refresh", "{\"name\":\"nope\"}");
        assertEquals(404, unknown.status());
        assertEquals("nope is not a valid service. Can not refresh config.", unknown.body().get("message").asText());
        assertEquals(404, post("service_info", "{\"name\":\"nope\"}").status());
    }

    @Test
    void withSharedGlobsServiceRefreshReachesTheOtherNodesAndNamesWhoAcknowledged() throws Exception {
        List<String> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
        io.jsorc.api.spi.ClusterRefresh others = (service, origin, wait) -> {
            asked.add(service + " by " + origin.actor() + " within " + wait.toSeconds() + " s");
            return new io.jsorc.api.spi.ClusterRefresh.Acks(List.of("nodeB"), List.of("nodeC"));
        };
        servlet.setCluster(others);
        try {
            Answer refreshed = post("service_refresh", "{\"name\":\"echo\"}");
            assertEquals(200, refreshed.status(), refreshed.raw().body());
            assertEquals("[\"nodeB\"]", refreshed.body().get("acknowledged").toString());
            assertEquals("[\"nodeC\"]", refreshed.body().get("missing").toString());
            assertEquals(List.of("echo by admin within 10 s"), asked);
            assertEquals(404, post("service_refresh", "{\"name\":\"nope\"}").status());
            assertEquals(1, asked.size(), "an unknown service is not sent to the other nodes");
        } finally {
            servlet.unsetCluster(others);
        }
        Answer alone = post("service_refresh", "{\"name\":\"echo\"}");
        assertFalse(alone.body().has("acknowledged"), alone.raw().body());
    }

    // ---- who may call ----

    @Test
    void withoutValidCredentials401WithAChallengeAndWithoutTheRole403AndNothingChanges() throws Exception {
        GlobValue before = echo();
        String set = "{\"name\":\"ECHO_CONFIG\",\"value\":{}}";
        Answer none = send("config_set", HttpRequest.newBuilder(URI.create(base + "config_set"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(set)));
        assertEquals(401, none.status());
        assertTrue(none.header("WWW-Authenticate").startsWith("Basic realm="), none.raw().headers().toString());
        Answer wrong = send("config_set", HttpRequest.newBuilder(URI.create(base + "config_set"))
                .header("Authorization", basic("admin", "guess")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(set)));
        assertEquals(401, wrong.status());
        Answer viewer = send("config_set", HttpRequest.newBuilder(URI.create(base + "config_set"))
                .header("Authorization", VIEWER).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(set)));
        assertEquals(403, viewer.status());
        assertEquals(before, echo());
    }

    @Test
    void crossSiteRequestsCannotActWithABrowsersCredentials() throws Exception {
        GlobValue before = echo();
        String set = "{\"name\":\"ECHO_CONFIG\",\"value\":{}}";
        Answer foreign = send("config_set", request("config_set").header("Origin", "https://evil.example")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(set)));
        assertEquals(403, foreign.status());
        Answer fetchSite = send("config_set", request("config_set").header("Sec-Fetch-Site", "cross-site")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(set)));
        assertEquals(403, fetchSite.status());
        for (String type : List.of("text/plain", "application/x-www-form-urlencoded", "application/json; charset=latin1")) {
            Answer form = send("config_set", request("config_set").header("Content-Type", type)
                    .POST(HttpRequest.BodyPublishers.ofString(set)));
            assertEquals(415, form.status(), type);
        }
        Answer multipart = send("config_set", multipart("config_set", Map.of("name", "ECHO_CONFIG", "value", "{}")));
        assertEquals(403, multipart.status());
        assertTrue(multipart.body().get("message").asText().contains("X-Requested-By"));
        assertEquals(before, echo());

        String own = base.substring(0, base.indexOf(AdminServlet.PATH));
        assertEquals(200, send("config_list", request("config_list").header("Origin", own)
                .POST(HttpRequest.BodyPublishers.noBody())).status());
        assertEquals(200, send("config_list", request("config_list").header("Origin", "https://console.example:8443")
                .POST(HttpRequest.BodyPublishers.noBody())).status());
    }

    @Test
    void multipartWithXRequestedByCarriesTheSameFields() throws Exception {
        Answer set = send("config_set", multipart("config_set", Map.of("name", "ECHO_CONFIG",
                "value", "{\"word\":\"multi\"}", "do_check", "true")).header(AdminServlet.REQUESTED_BY, "curl"));
        assertEquals(200, set.status(), set.raw().body());
        assertEquals("{\"word\":\"multi\"}", echo().json());
        Answer badBool = send("config_get", multipart("config_get", Map.of("name", "ECHO_CONFIG", "do_check", "yes"))
                .header(AdminServlet.REQUESTED_BY, "curl"));
        assertEquals(400, badBool.status());
    }

    @Test
    void malformedMultipartIs400AndChangesNothing() throws Exception {
        GlobValue before = echo();
        for (String[] c : new String[][] {{"multipart/form-data; boundary=b", "garbage"},
                {"multipart/form-data; boundary=b", ""}, {"multipart/form-data", "--b\r\n\r\nx\r\n--b--\r\n"},
                {"multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nECHO"}}) {
            Answer answer = send("config_set", request("config_set").header("Content-Type", c[0])
                    .header(AdminServlet.REQUESTED_BY, "t").POST(HttpRequest.BodyPublishers.ofString(c[1])));
            assertEquals(400, answer.status(), c[0] + " / " + c[1] + " → " + answer.raw().body());
        }
        assertEquals(before, echo());
    }

    @Test
    void aMistypedSecretInMalformedJsonIsNotQuotedBack() throws Exception {
        Answer answer = post("config_set", "{\"name\":\"ECHO_CONFIG\",\"value\":{\"key\":sk_live_typo}}");
        assertEquals(400, answer.status());
        assertFalse(answer.raw().body().contains("sk_live_typo"), answer.raw().body());
        assertTrue(answer.body().get("message").asText().contains("characters)"), answer.raw().body());
    }

    @Test
    void aStoreThatCannotWriteOrReadIs503AndAServiceThatHangsToo() throws Exception {
        io.jsorc.api.config.ConfigApi failing = (io.jsorc.api.config.ConfigApi) java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {io.jsorc.api.config.ConfigApi.class}, (p, m, a) -> {
                    throw new io.jsorc.api.config.GlobException(io.jsorc.api.config.GlobException.Reason.STORAGE,
                            "Glob storage failed to write: disk full");
                });
        io.jsorc.api.MetaService hanging = (io.jsorc.api.MetaService) java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {io.jsorc.api.MetaService.class}, (p, m, a) -> {
                    throw new java.util.concurrent.CancellationException("echo did not finish within 75 s");
                });
        Functions functions = new Functions(failing, hanging, AdminServlet.mapper());
        for (String[] c : new String[][] {{"config_set", "{\"name\":\"A_CONFIG\",\"value\":{}}"},
                {"config_get", "{\"name\":\"A_CONFIG\"}"}, {"config_list", "{}"}, {"config_exists", "{\"name\":\"A\"}"},
                {"config_delete", "{\"name\":\"A_CONFIG\"}"}, {"service_refresh", "{\"name\":\"echo\"}"}}) {
            Functions.Function function = functions.get(c[0]);
            Fields fields = Fields.of(JSON.readTree(c[1]), function.fields());
            ApiError error = org.junit.jupiter.api.Assertions.assertThrows(ApiError.class,
                    () -> function.handler().handle(new Functions.Call(fields, "admin", null)), c[0]);
            assertEquals(503, error.status, c[0]);
            List<String> problems = openApi.check(c[0], 503, JSON.valueToTree(Map.of("success", false,
                    "message", error.getMessage())));
            assertEquals(List.of(), problems, c[0] + " declares its 503");
        }
    }

    @Test
    void originsAreComparedWithoutCaseOrTrailingSlash() {
        assertEquals("https://console.example:8443", AdminServlet.normalOrigin(" HTTPS://Console.Example:8443/ "));
    }

    static HttpRequest.Builder multipart(String fn, Map<String, String> fields) {
        String boundary = "----jsorc" + System.nanoTime();
        StringBuilder body = new StringBuilder();
        fields.forEach((name, value) -> body.append("--").append(boundary).append("\r\n")
                .append("Content-Disposition: form-data; name=\"").append(name).append("\"\r\n\r\n")
                .append(value).append("\r\n"));
        body.append("--").append(boundary).append("--\r\n");
        return request(fn).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
    }

    // ---- bad input: one clear 4xx, nothing changed ----

    @Test
    void badBodiesAre400NamingTheFieldAndChangeNothing() throws Exception {
        GlobValue before = echo();
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("{\"name\":", null);
        cases.put("[1,2]", null);
        cases.put("{\"name\":\"ECHO_CONFIG\"} trailing", null);
        cases.put("{\"name\":\"ECHO_CONFIG\",\"name\":\"X\",\"value\":{}}", null);
        cases.put("{\"name\":42,\"value\":{}}", "name");
        cases.put("{\"value\":{}}", "name");
        cases.put("{\"name\":\"ECHO_CONFIG\"}", "value");
        cases.put("{\"name\":\"ECHO_CONFIG\",\"value\":{},\"do_check\":\"no\"}", "do_check");
        cases.put("{\"name\":\"ECHO_CONFIG\",\"value\":{},\"rev\":-1}", "rev");
        cases.put("{\"name\":\"ECHO_CONFIG\",\"value\":{},\"rev\":1.5}", "rev");
        cases.put("{\"name\":\"ECHO_CONFIG\",\"value\":{},\"rev\":99999999999999999999999}", "rev");
        cases.put("{\"name\":\"ECHO_CONFIG\",\"value\":{},\"do_chek\":false}", "do_chek");
        cases.put("{\"name\":\"../../etc/passwd\",\"value\":{},\"do_check\":false}", "name");
        cases.put("{\"name\":\"ECHO_CONFIG\",\"value\":\"not json\"}", "value");
        cases.put("{\"name\":\"ECHO_CONFIG\",\"value\":" + "[".repeat(300) + "]".repeat(300) + "}", null);
        for (Map.Entry<String, String> c : cases.entrySet()) {
            Answer answer = post("config_set", c.getKey());
            assertEquals(400, answer.status(), c.getKey() + " → " + answer.raw().body());
            if (c.getValue() != null) {
                assertEquals(c.getValue(), answer.body().path("field").asText(), answer.raw().body());
            }
        }
        assertEquals(before, echo());
    }

    @Test
    void bodiesOverTheLimitAre413AndManifestsHaveTheirOwnLimit() throws Exception {
        GlobValue before = echo();
        String big = "{\"name\":\"ECHO_CONFIG\",\"value\":{\"x\":\"" + "y".repeat((int) BODY_LIMIT) + "\"}}";
        assertEquals(413, post("config_set", big).status());
        Answer chunked = send("config_set", request("config_set").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(
                        () -> new ByteArrayInputStream(big.getBytes(StandardCharsets.UTF_8)))));
        assertEquals(413, chunked.status());
        assertEquals(413, post("config_get", "{\"name\":\"" + "y".repeat((int) BODY_LIMIT) + "\"}").status());
        assertEquals(before, echo());

        String manifest = "{\"name\":\"OTHER_MANIFEST\",\"do_check\":false,\"value\":{\"x\":\""
                + "y".repeat((int) BODY_LIMIT) + "\"}}";
        assertEquals(200, post("config_set", manifest).status());
        String tooBig = manifest.replace("\"}}", "y".repeat((int) MANIFEST_LIMIT) + "\"}}");
        assertEquals(413, post("config_set", tooBig).status());
    }

    @Test
    void unknownFunctions404OtherMethods405() throws Exception {
        Answer unknown = post("config_nope", "{}");
        assertEquals(404, unknown.status());
        assertTrue(unknown.body().get("message").asText().contains("config_get"), unknown.raw().body());
        Answer get = send("config_list", request("config_list").GET());
        assertEquals(405, get.status());
        assertEquals("POST", get.header("Allow"));
        assertEquals(404, post("", "{}").status());
    }

    // ---- the document ----

    @Test
    void theOpenApiDocumentIsServedWithoutCredentialsAndDescribesExactlyTheFunctions() throws Exception {
        HttpResponse<String> doc = client.send(HttpRequest.newBuilder(URI.create(base + AdminServlet.OPENAPI)).GET()
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, doc.statusCode());
        JsonNode served = JSON.readTree(doc.body());
        assertEquals("3.1.0", served.get("openapi").asText());
        List<String> paths = new ArrayList<>();
        served.get("paths").fieldNames().forEachRemaining(paths::add);
        List<String> functions = new ArrayList<>();
        AdminServletTest.functions().forEach(fn -> functions.add(AdminServlet.PATH + "/" + fn));
        assertEquals(functions, paths);
        // every $ref resolves and every schema keyword is one the check understands
        List<String> problems = new ArrayList<>();
        walk(served, openApi, problems);
        assertEquals(List.of(), problems);
        // every declared request field is one the function takes, and back
        for (String fn : functions()) {
            JsonNode schema = served.at("/paths/" + (AdminServlet.PATH + "/" + fn).replace("/", "~1")
                    + "/post/requestBody/content/application~1json/schema/properties");
            List<String> declared = new ArrayList<>();
            schema.fieldNames().forEachRemaining(declared::add);
            assertEquals(Set.copyOf(declared), kitFunctions().get(fn).fields(), fn);
        }
    }

    private static void walk(JsonNode node, OpenApiCheck check, List<String> problems) {
        if (node.has("$ref")) {
            try {
                check.resolve(node);
            } catch (AssertionError e) {
                problems.add(e.getMessage());
            }
        }
        for (Iterator<JsonNode> children = node.elements(); children.hasNext(); ) {
            walk(children.next(), check, problems);
        }
    }

    private static Functions kitFunctions() {
        return new Functions(kit.configApi(), kit.meta(), AdminServlet.mapper());
    }

    private static Set<String> functions() {
        return kitFunctions().names();
    }

    @Test
    void theIfMatchFormsAccepted() {
        assertEquals(7L, AdminServlet.ifMatch("\"7\""));
        assertEquals(7L, AdminServlet.ifMatch("W/\"7\""));
        assertEquals(7L, AdminServlet.ifMatch("7"));
        assertNull(AdminServlet.ifMatch(null));
    }
}
