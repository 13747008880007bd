package io.jsorc.webconsole.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jsorc.api.CommonService;
import io.jsorc.api.Hook;
import io.jsorc.api.event.Topics;
import io.jsorc.testkit.TestKit;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.service.event.Event;

/**
 * The JsOrc page's servlet served by a real Jetty over the test kit's MetaService and glob store, mounted as the Web
 * Console mounts a plugin ({@code /system/console/jsorc/...}).
 */
class JsorcPluginTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static TestKit kit;
    static Server server;
    static String base;
    static String host;
    static JsorcPlugin plugin;
    static final RefusedEdits REFUSED = new RefusedEdits();
    static final HttpClient CLIENT = HttpClient.newHttpClient();

    /** Reads ECHO_CONFIG; its app is the configured word. */
    static final class Echo extends CommonService<String> {
        @Override
        protected Map<String, Object> buildConfig(Hook hook) {
            Map<String, Object> defaults = new LinkedHashMap<>();
            defaults.put("enabled", true);
            defaults.put("word", "hello");
            defaults.put("api_key", "sk_live_secret");
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

    record Answer(int status, JsonNode body) {
    }

    @BeforeAll
    static void serve() throws Exception {
        kit = TestKit.create();
        kit.register("echo", Echo::new);
        plugin = new JsorcPlugin(kit.meta(), kit.configApi(), kit.globs(), REFUSED);
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/system");
        context.addServlet(new ServletHolder(plugin), "/console/*");
        server.setHandler(context);
        server.start();
        host = "127.0.0.1:" + connector.getLocalPort();
        base = "http://" + host + "/system/console/jsorc";
    }

    @AfterAll
    static void stop() throws Exception {
        server.stop();
        kit.close();
    }

    @BeforeEach
    void echoDefaults() {
        kit.globs().set("ECHO_CONFIG", "{\"enabled\":true,\"word\":\"hello\",\"api_key\":\"sk_live_secret\"}", null,
                TestKit.TEST);
        kit.meta().refresh("echo");
    }

    static Answer get(String path) throws Exception {
        HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(URI.create(base + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body().startsWith("{") ? JSON.readTree(r.body()) : null);
    }

    static Answer post(String path, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        HttpResponse<String> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), JSON.readTree(r.body()));
    }

    static Answer postJson(String path, String body) throws Exception {
        return post(path, body, "Content-Type", "application/json", "X-Requested-By", "test", "Origin",
                "http://" + host);
    }

    long revision() {
        return kit.globs().get("ECHO_CONFIG").orElseThrow().revision();
    }

    @Test
    void thePageHasNoConsoleVariablesAndItsScriptAndStyleAreServed() throws Exception {
        HttpResponse<String> page = CLIENT.send(HttpRequest.newBuilder(URI.create(base)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode());
        assertFalse(page.body().contains("${"), "the console would substitute it");
        assertTrue(page.body().contains("/system/console/jsorc/res/jsorc.js"));
        HttpResponse<String> js = CLIENT.send(HttpRequest.newBuilder(URI.create(base + "/res/jsorc.js")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, js.statusCode());
        assertTrue(js.body().contains("X-Requested-By"));
        assertFalse(js.body().contains("http://") || js.body().contains("https://"), "no external asset");
        assertTrue(js.headers().firstValue("Content-Type").orElseThrow().startsWith("text/javascript"));
        assertEquals("no-cache", js.headers().firstValue("Cache-Control").orElseThrow());
        HttpResponse<String> css = CLIENT.send(HttpRequest.newBuilder(URI.create(base + "/res/jsorc.css")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(css.headers().firstValue("Content-Type").orElseThrow().startsWith("text/css"));
        assertTrue(css.body().contains("#jsorc"));
        HttpResponse<String> state = CLIENT.send(HttpRequest.newBuilder(URI.create(base + "/state.json")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(state.headers().firstValue("Content-Type").orElseThrow().startsWith("application/json"));
        assertEquals("no-store", state.headers().firstValue("Cache-Control").orElseThrow());
        assertTrue(page.headers().firstValue("Content-Type").orElseThrow().startsWith("text/html"));
        assertEquals(404, get("/nothing").status());
    }

    @Test
    void theStateListsServicesAndGlobsWithSecretsMasked() throws Exception {
        kit.globs().set("ECHO_CONFIG", "{\"enabled\":true,\"word\":\"fail\",\"api_key\":\"sk_live_secret\"}", null,
                TestKit.TEST);
        kit.meta().refresh("echo");
        JsonNode state = get("/state.json").body();
        JsonNode echo = state.get("services").get(0);
        assertEquals("echo", echo.get("name").asText());
        assertEquals("FAILED", echo.get("state").asText());
        assertEquals("ECHO_CONFIG", echo.get("config").asText());
        assertTrue(echo.get("last_error").asText().contains("redis://********@db"), echo.toString());
        assertFalse(state.toString().contains("pw0rd"));
        assertTrue(state.get("automation").isNull());
        assertEquals("ECHO_CONFIG", state.get("globs").get(0).get("name").asText());
        JsonNode glob = get("/glob.json?name=ECHO_CONFIG").body();
        assertEquals("********", glob.get("value").get("api_key").asText());
        assertEquals(revision(), glob.get("revision").asLong());
        assertEquals(400, get("/glob.json?name=bad-name").status());
    }

    @Test
    void aSaveIsConfigSetWithTheLoadedRevisionThenARefreshKeepingMaskedSecrets() throws Exception {
        long rev = revision();
        int starts = kit.meta().info("echo").orElseThrow().startCount();
        Answer saved = postJson("/save.json", "{\"name\":\"ECHO_CONFIG\",\"rev\":" + rev
                + ",\"fields\":{\"word\":\"bonjour\"}}");
        assertEquals(200, saved.status(), saved.body().toString());
        assertEquals(rev + 1, saved.body().get("revision").asLong());
        assertEquals("[\"echo\"]", saved.body().get("refreshed").toString());
        assertEquals("{\"enabled\":true,\"word\":\"bonjour\",\"api_key\":\"sk_live_secret\"}",
                kit.globs().get("ECHO_CONFIG").orElseThrow().json());
        assertEquals(starts + 1, kit.meta().info("echo").orElseThrow().startCount(), "refreshed");
        assertEquals("webconsole", kit.globs().get("ECHO_CONFIG").orElseThrow().stored().origin().source());
        assertFalse(saved.body().toString().contains("sk_live_secret"));
        // the keys a form does not cover, edited as JSON: the mask keeps the secret, a removed key goes
        kit.globs().set("ECHO_CONFIG", "{\"enabled\":true,\"word\":\"bonjour\",\"api_key\":\"sk_live_secret\",\"tmp\":1}",
                null, TestKit.TEST);
        Answer rest = postJson("/save.json", "{\"name\":\"ECHO_CONFIG\",\"rev\":" + revision()
                + ",\"fields\":{},\"rest\":\"{\\\"enabled\\\":true,\\\"word\\\":\\\"x\\\",\\\"api_key\\\":\\\"********\\\"}\"}");
        assertEquals(200, rest.status(), rest.body().toString());
        assertEquals("{\"enabled\":true,\"word\":\"x\",\"api_key\":\"sk_live_secret\"}",
                kit.globs().get("ECHO_CONFIG").orElseThrow().json());
    }

    @Test
    void whatTheUserDidNotTouchIsStoredExactlyAsItWas() throws Exception {
        kit.globs().set("ECHO_CONFIG", "{\"enabled\":true,\"word\":\"hi\",\"api_key\":\"k\",\"ratio\":1.0,"
                + "\"big\":9223372036854775808,\"tenth\":0.1,\"nested\":{\"a\":[1,1.0,null]}}", null, TestKit.TEST);
        Answer saved = postJson("/save.json", "{\"name\":\"ECHO_CONFIG\",\"rev\":" + revision()
                + ",\"fields\":{\"word\":\"ho\",\"nested.b\":2}}");
        assertEquals(200, saved.status(), saved.body().toString());
        assertEquals("{\"enabled\":true,\"word\":\"ho\",\"api_key\":\"k\",\"ratio\":1.0,\"big\":9223372036854775808,"
                + "\"tenth\":0.1,\"nested\":{\"a\":[1,1.0,null],\"b\":2}}", kit.globs().get("ECHO_CONFIG").orElseThrow().json());
    }

    @Test
    void theOtherKeysAreEditedAsExactTextAndNeverTakeTheFormsFieldsWithThem() throws Exception {
        org.osgi.service.metatype.MetaTypeProvider provider = echoMetaType();
        plugin.setMetaTypes(provider);
        try {
            kit.globs().set("ECHO_CONFIG", "{\"enabled\":true,\"word\":\"hi\",\"api_key\":\"k\",\"ratio\":1.0,"
                    + "\"big\":9223372036854775808}", null, TestKit.TEST);
            JsonNode glob = get("/glob.json?name=ECHO_CONFIG").body();
            assertEquals("{\"enabled\":true,\"api_key\":\"********\",\"ratio\":1.0,\"big\":9223372036854775808}",
                    glob.get("rest").asText(), "the store's own text, masked, without the form's fields");
            // the user removes enabled from the other keys: the rest stays exactly as stored
            Answer saved = postJson("/save.json", "{\"name\":\"ECHO_CONFIG\",\"rev\":" + revision() + ",\"fields\":{},"
                    + "\"rest\":\"{\\\"api_key\\\":\\\"********\\\",\\\"ratio\\\":1.0,\\\"big\\\":9223372036854775808}\"}");
            assertEquals(200, saved.status(), saved.body().toString());
            assertEquals("{\"word\":\"hi\",\"api_key\":\"k\",\"ratio\":1.0,\"big\":9223372036854775808,"
                    + "\"enabled\":true}", kit.globs().get("ECHO_CONFIG").orElseThrow().json(),
                    "enabled came back from the service's defaults at its refresh; nothing else changed");
        } finally {
            plugin.unsetMetaTypes(provider);
        }
    }

    @Test
    void otherKeysCannotReplaceAnObjectHoldingFormFields() throws Exception {
        Map<String, Object> value = new LinkedHashMap<>(Map.of("db", new LinkedHashMap<>(Map.of("host", "h",
                "pool", 5))));
        Map<String, Object> before = new LinkedHashMap<>(Map.of("db", new LinkedHashMap<>(Map.of("pool", 5))));
        Paths.replaceRest(value, before, Map.of(), java.util.List.of("db.host"), "");
        assertEquals(Map.of("db", Map.of("host", "h")), value, "db loses its other keys, keeps the field");
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> Paths.replaceRest(value,
                Map.of(), Map.of("db", 5), java.util.List.of("db.host"), ""));
        Paths.replaceRest(value, Map.of(), Map.of("db", Map.of("pool", 6)), java.util.List.of("db.host"), "");
        assertEquals(Map.of("db", Map.of("host", "h", "pool", 6)), value);
    }

    @Test
    void aGlobWithoutAFormIsSavedAsJsonText() throws Exception {
        kit.globs().set("ITEST_LIST", "[1,2.50]", null, TestKit.TEST);
        long rev = kit.globs().get("ITEST_LIST").orElseThrow().revision();
        assertEquals("[1,2.50]", get("/glob.json?name=ITEST_LIST").body().get("raw").asText(), "shown as stored");
        Answer saved = postJson("/save.json", "{\"name\":\"ITEST_LIST\",\"rev\":" + rev + ",\"raw\":\"[1,2.50,3]\"}");
        assertEquals(200, saved.status(), saved.body().toString());
        assertEquals("[1,2.50,3]", kit.globs().get("ITEST_LIST").orElseThrow().json());
        assertEquals("[]", saved.body().get("refreshed").toString(), "no service reads it");
        kit.globs().delete("ITEST_LIST", null, TestKit.TEST);
    }

    /** A MetaType as the glob store publishes it: ECHO_CONFIG with a password field under a name masking does not know. */
    static org.osgi.service.metatype.MetaTypeProvider echoMetaType() {
        org.osgi.service.metatype.AttributeDefinition dsn = ad("dsn", org.osgi.service.metatype.AttributeDefinition.PASSWORD);
        org.osgi.service.metatype.AttributeDefinition word = ad("word", org.osgi.service.metatype.AttributeDefinition.STRING);
        org.osgi.service.metatype.AttributeDefinition pins = ad("pins", org.osgi.service.metatype.AttributeDefinition.PASSWORD);
        org.osgi.service.metatype.ObjectClassDefinition ocd = (org.osgi.service.metatype.ObjectClassDefinition)
                java.lang.reflect.Proxy.newProxyInstance(JsorcPluginTest.class.getClassLoader(),
                        new Class<?>[] {org.osgi.service.metatype.ObjectClassDefinition.class}, (p, m, a) -> switch (m.getName()) {
                            case "getName" -> "Echo";
                            case "getID" -> "jsorc.glob.ECHO_CONFIG";
                            case "getDescription" -> "Echo. A save is validated like jsorc:config-set.";
                            case "getAttributeDefinitions" -> new org.osgi.service.metatype.AttributeDefinition[] {dsn, word, pins};
                            default -> null;
                        });
        return new org.osgi.service.metatype.MetaTypeProvider() {
            @Override
            public org.osgi.service.metatype.ObjectClassDefinition getObjectClassDefinition(String id, String locale) {
                return "jsorc.glob.ECHO_CONFIG".equals(id) ? ocd : null;
            }

            @Override
            public String[] getLocales() {
                return null;
            }
        };
    }

    static org.osgi.service.metatype.AttributeDefinition ad(String id, int type) {
        return (org.osgi.service.metatype.AttributeDefinition) java.lang.reflect.Proxy.newProxyInstance(
                JsorcPluginTest.class.getClassLoader(), new Class<?>[] {org.osgi.service.metatype.AttributeDefinition.class},
                (p, m, a) -> switch (m.getName()) {
                    case "getID", "getName" -> id;
                    case "getDescription" -> "";
                    case "getType" -> type;
                    case "getCardinality" -> 0;
                    default -> null;
                });
    }

    @Test
    void aDeclaredPasswordFieldIsMaskedOnThePageAndKeptWhenSentBackMasked() throws Exception {
        org.osgi.service.metatype.MetaTypeProvider provider = echoMetaType();
        plugin.setMetaTypes(provider);
        try {
            kit.globs().set("ECHO_CONFIG", "{\"enabled\":true,\"word\":\"hi\",\"api_key\":\"k\",\"dsn\":\"db-pass-1\","
                    + "\"pins\":[\"p1\",null,\"p3\"]}", null, TestKit.TEST);
            JsonNode glob = get("/glob.json?name=ECHO_CONFIG").body();
            assertEquals("********", glob.get("value").get("dsn").asText());
            assertEquals("[\"********\",null,\"********\"]", glob.get("value").get("pins").toString(),
                    "a password list masked element by element");
            assertFalse(glob.toString().contains("db-pass-1"));
            assertEquals("Echo.", glob.get("form").get("description").asText(), "the Configuration Manager's note cut");
            assertEquals("password", glob.get("form").get("fields").get(0).get("type").asText());
            org.awaitility.Awaitility.await("the revision kept").atMost(java.time.Duration.ofSeconds(5))
                    .until(() -> kit.globs().history("ECHO_CONFIG").get(0).revision() == revision());
            assertFalse(get("/glob.json?name=ECHO_CONFIG").body().get("history").toString().contains("db-pass-1"),
                    "the history masks declared password fields too");
            Answer saved = postJson("/save.json", "{\"name\":\"ECHO_CONFIG\",\"rev\":" + revision()
                    + ",\"fields\":{\"word\":\"ho\",\"dsn\":\"********\",\"pins\":[\"********\",null,\"new\"]}}");
            assertEquals(200, saved.status(), saved.body().toString());
            assertEquals("{\"enabled\":true,\"word\":\"ho\",\"api_key\":\"k\",\"dsn\":\"db-pass-1\","
                    + "\"pins\":[\"p1\",null,\"new\"]}", kit.globs().get("ECHO_CONFIG").orElseThrow().json());
            Answer shorter = postJson("/save.json", "{\"name\":\"ECHO_CONFIG\",\"rev\":" + revision()
                    + ",\"fields\":{\"pins\":[\"********\",\"x\"]}}");
            assertEquals(400, shorter.status(), "a mask in a list that changed length stands for nothing");
            assertTrue(shorter.body().get("message").asText().startsWith("pins: a ******** stands for no stored value"));
            assertTrue(kit.globs().get("ECHO_CONFIG").orElseThrow().json().contains("\"p1\""));
        } finally {
            plugin.unsetMetaTypes(provider);
        }
    }

    @Test
    void aStaleSaveIsA409AndChangesNothing() throws Exception {
        long rev = revision();
        kit.globs().set("ECHO_CONFIG", "{\"enabled\":true,\"word\":\"newer\",\"api_key\":\"k\"}", null, TestKit.TEST);
        Answer stale = postJson("/save.json", "{\"name\":\"ECHO_CONFIG\",\"rev\":" + rev
                + ",\"fields\":{\"word\":\"older\"}}");
        assertEquals(409, stale.status());
        assertTrue(stale.body().get("message").asText().contains("Stale write of ECHO_CONFIG"));
        assertTrue(kit.globs().get("ECHO_CONFIG").orElseThrow().json().contains("newer"));
    }

    @Test
    void badBodiesAreOneClearErrorAndChangeNothing() throws Exception {
        long rev = revision();
        assertEquals(400, postJson("/save.json", "{not json").status());
        assertEquals("rev", postJson("/save.json", "{\"name\":\"ECHO_CONFIG\",\"fields\":{}}").body()
                .get("field").asText());
        assertEquals(400, postJson("/save.json", "{\"name\":\"ECHO_CONFIG\",\"rev\":" + rev + "}").status());
        assertEquals(400, postJson("/save.json", "{\"name\":\"ECHO_CONFIG\",\"rev\":" + rev
                + ",\"raw\":\"[1]\"}").status(), "a *_CONFIG must be an object");
        assertEquals(400, postJson("/save.json", "{\"name\":\"ECHO_CONFIG\",\"rev\":" + rev
                + ",\"fields\":{},\"rest\":\"[1]\"}").status(), "other keys must be an object");
        assertEquals(400, postJson("/save.json", "{\"name\":\"ECHO_CONFIG\",\"rev\":" + rev
                + ",\"fields\":{},\"rest\":\"{oops\"}").status());
        assertEquals(404, postJson("/refresh.json", "{\"name\":\"nope\"}").status());
        assertEquals(404, postJson("/other.json", "{\"name\":\"echo\"}").status());
        assertEquals(rev, revision());
    }

    @Test
    void eachCrossSiteRefusalSaysWhy() throws Exception {
        String body = "{\"name\":\"echo\"}";
        assertEquals("Send application/json", post("/refresh.json", body, "Content-Type", "text/plain",
                "X-Requested-By", "x").body().get("message").asText());
        assertEquals("Missing header X-Requested-By (cross-site requests are refused)", post("/refresh.json", body,
                "Content-Type", "application/json").body().get("message").asText());
        assertEquals("Cross-site requests are refused", post("/refresh.json", body, "Content-Type",
                "application/json", "X-Requested-By", "x", "Sec-Fetch-Site", "cross-site").body().get("message").asText());
        assertEquals("Origin https://evil.example is not this console", post("/refresh.json", body, "Content-Type",
                "application/json", "X-Requested-By", "x", "Origin", "https://evil.example").body().get("message")
                .asText());
        assertEquals(403, post("/refresh.json", body, "Content-Type", "application/json", "X-Requested-By", "x",
                "Origin", "null").status(), "an opaque origin");
        assertEquals(403, post("/refresh.json", body, "Content-Type", "application/json", "X-Requested-By", "x",
                "Origin", "http://" + host + "evil").status());
        assertEquals(200, post("/refresh.json", body, "Content-Type", "application/json; charset=UTF-8",
                "X-Requested-By", "x", "Origin", "https://console.example", "X-Forwarded-Host",
                "console.example, proxy.internal").status(), "behind a reverse proxy");
        assertEquals(200, post("/refresh.json", body, "Content-Type", "application/json", "X-Requested-By", "x",
                "Sec-Fetch-Site", "same-origin").status(), "no Origin: a same-origin request of an older browser");
    }

    @Test
    void theStateShowsTheAutomationLoopAndQuarantine() throws Exception {
        io.jsorc.api.spi.Supervision echo = new io.jsorc.api.spi.Supervision("echo", io.jsorc.api.ServiceState.FAILED,
                5, 5, null, java.time.Instant.parse("2026-12-01T00:00:00Z"), "boom", null);
        io.jsorc.api.spi.AutomationStatus status = new io.jsorc.api.spi.AutomationStatus(true, true, 7,
                java.time.Instant.parse("2026-12-01T00:00:10Z"), java.time.Duration.ofMillis(3), null, 10,
                "Kubernetes is not configured", java.util.List.of(echo));
        io.jsorc.api.spi.AutomationProvider loop = (io.jsorc.api.spi.AutomationProvider) java.lang.reflect.Proxy
                .newProxyInstance(getClass().getClassLoader(), new Class<?>[] {io.jsorc.api.spi.AutomationProvider.class},
                        (p, m, a) -> switch (m.getName()) {
                            case "status" -> status;
                            case "supervision" -> java.util.Optional.of(echo);
                            default -> null;
                        });
        plugin.setAutomation(loop);
        try {
            JsonNode state = get("/state.json").body();
            assertTrue(state.get("automation").get("automation").asBoolean());
            assertEquals(7, state.get("automation").get("ticks").asLong());
            assertEquals("2026-12-01T00:00:10Z", state.get("automation").get("last_tick").asText());
            assertEquals("[\"echo\"]", state.get("automation").get("keep_alive").toString());
            assertTrue(state.get("services").get(0).get("quarantined").asBoolean());
            assertEquals(5, state.get("services").get(0).get("failures").asInt());
        } finally {
            plugin.unsetAutomation(loop);
        }
        assertTrue(get("/state.json").body().get("automation").isNull());
    }

    @Test
    void crossSitePostsAreRefusedAndChangeNothing() throws Exception {
        long rev = revision();
        int starts = kit.meta().info("echo").orElseThrow().startCount();
        String body = "{\"name\":\"echo\"}";
        assertEquals(403, post("/refresh.json", body, "Content-Type", "application/json").status(),
                "no X-Requested-By");
        assertEquals(403, post("/refresh.json", body, "Content-Type", "text/plain", "X-Requested-By", "x").status(),
                "a simple (form) content type");
        assertEquals(403, post("/refresh.json", body, "Content-Type", "application/json", "X-Requested-By", "x",
                "Origin", "https://evil.example").status());
        assertEquals(403, post("/refresh.json", body, "Content-Type", "application/json", "X-Requested-By", "x",
                "Sec-Fetch-Site", "cross-site").status());
        assertEquals(403, post("/save.json", "{\"name\":\"ECHO_CONFIG\",\"rev\":" + rev + ",\"fields\":{}}",
                "Content-Type", "application/json").status());
        assertEquals(rev, revision());
        assertEquals(starts, kit.meta().info("echo").orElseThrow().startCount());
        Answer ok = postJson("/refresh.json", body);
        assertEquals(200, ok.status());
        assertEquals("RUNNING", ok.body().get("state").asText());
        assertEquals(starts + 1, kit.meta().info("echo").orElseThrow().startCount());
    }

    @Test
    void aGlobShowsTheRevisionsTheStoreKeepsNewestFirstMasked() throws Exception {
        for (int i = 1; i <= 3; i++) {
            kit.globs().set("HIST_CONFIG", "{\"api_key\":\"k-" + i + "\",\"n\":" + i + "}", null, TestKit.TEST);
        }
        org.awaitility.Awaitility.await("3 revisions kept").atMost(java.time.Duration.ofSeconds(5))
                .until(() -> kit.globs().history("HIST_CONFIG").size() == 3);
        JsonNode history = get("/glob.json?name=HIST_CONFIG").body().get("history");
        assertEquals(3, history.size());
        assertEquals(kit.globs().get("HIST_CONFIG").orElseThrow().revision(), history.get(0).get("revision").asLong());
        assertEquals("{\"api_key\":\"********\",\"n\":3}", history.get(0).get("value").asText());
        assertFalse(history.toString().contains("k-"), "secrets masked");
        assertEquals(0, get("/glob.json?name=OTHER_CONFIG").body().get("history").size());
    }

    @Test
    void refusedOutsideEditsAreListedNewestFirstAndBounded() throws Exception {
        for (int i = 0; i < RefusedEdits.KEEP + 5; i++) {
            REFUSED.handleEvent(new Event(Topics.EDIT_REFUSED, Map.of("name", "G" + i, "message", "bad " + i,
                    "origin", "operator@configadmin/n", "time", 1000L + i)));
        }
        JsonNode refused = get("/state.json").body().get("refused");
        assertEquals(RefusedEdits.KEEP, refused.size());
        assertEquals("G" + (RefusedEdits.KEEP + 4), refused.get(0).get("name").asText());
        assertNull(get("/glob.json?name=ECHO_CONFIG").body().get("form").textValue(), "no MetaType: no form");
    }
}
