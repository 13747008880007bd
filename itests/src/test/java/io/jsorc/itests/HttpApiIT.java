package io.jsorc.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The HTTP admin API in the real distribution: HTTP Basic against Karaf's JAAS realm (and its users file changing
 * under a remembered login), every function, secrets on every surface (HTTP, console, audit trail, karaf.log, the
 * glob file), a {@code $[env:]} reference resolved in a running service and never stored resolved, and a corpus of
 * more than 200 bad requests: no 5xx, no ERROR in karaf.log, every glob file byte-identical, no audit entry.
 */
@org.junit.FixMethodOrder(org.junit.runners.MethodSorters.NAME_ASCENDING)
public class HttpApiIT {

    static final String STRIPE_KEY_ENV = "JSORC_IT_STRIPE_KEY";
    static final String PLAIN_SECRET = "sk_live_plain_secret_7f3a";
    static final String URL_PASSWORD = "pw-secret-9c1e";

    private static KarafDistribution karaf;
    private static String admin;
    private static String base;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeClass
    public static void start() throws Exception {
        Path assembly = Paths.get(System.getProperty("jsorc.assembly", "target/jsorc-assembly.tar.gz"));
        assertTrue("distribution " + assembly + " exists (run through Maven)", Files.isRegularFile(assembly));
        Path work = Paths.get("target", "http-it", Long.toString(System.currentTimeMillis())).toAbsolutePath();
        karaf = KarafDistribution.unpack(assembly, work);
        Files.copy(Paths.get(System.getProperty("jsorc.stripe.jar")), karaf.home().resolve("deploy/stripe.jar"));
        // a user with the admin role whose password the test changes, and one without it
        Files.writeString(karaf.home().resolve("etc/users.properties"), "\nops = opspw,admin\nreader = readerpw,viewer\n",
                java.nio.file.StandardOpenOption.APPEND);
        // what an operator does to give Karaf a secret through its environment
        Files.writeString(karaf.home().resolve("bin/setenv"), "\nexport " + STRIPE_KEY_ENV + "=sk_live_from_env_42\n",
                java.nio.file.StandardOpenOption.APPEND);
        karaf.start(false);
        Path passwordFile = karaf.home().resolve("etc/admin.password");
        await("etc/admin.password written").atMost(Duration.ofSeconds(60)).until(() -> Files.isRegularFile(passwordFile));
        admin = basic("admin", Files.readString(passwordFile).strip());
        base = "http://127.0.0.1:" + karaf.httpPort() + "/js_admin/";
        await("the HTTP API lists stripe").atMost(KarafDistribution.BOOT_TIMEOUT).pollInterval(Duration.ofSeconds(1))
                .ignoreExceptions().until(() -> post(admin, "service_list", "{}").body().contains("\"stripe\""));
    }

    @AfterClass
    public static void stop() throws Exception {
        if (karaf != null) {
            karaf.close();
            if (!Boolean.getBoolean("jsorc.itest.keep")) {
                karaf.delete();
            }
        }
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    static HttpResponse<String> post(String authorization, String fn, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + fn)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static Path log() {
        return karaf.home().resolve("data/log/karaf.log");
    }

    static Path auditLog() {
        return karaf.home().resolve("data/log/jsorc-audit.log");
    }

    static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }

    /** What {@code file} got from byte {@code from} on. */
    static String readFrom(Path file, long from) throws IOException {
        byte[] all = Files.readAllBytes(file);
        return new String(all, (int) Math.min(from, all.length), all.length - (int) Math.min(from, all.length),
                StandardCharsets.UTF_8);
    }

    // ---- who may call ----

    @Test
    public void onlyKarafUsersWithTheAdminRoleGetInAndAChangedUsersFileEndsARememberedLogin() throws Exception {
        HttpResponse<String> none = post(null, "config_list", "{}");
        assertEquals(401, none.statusCode());
        assertTrue(none.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic realm="));
        assertEquals(401, post(basic("admin", "wrong"), "config_list", "{}").statusCode());
        assertEquals(401, post(basic("nobody", "x"), "config_list", "{}").statusCode());
        assertEquals(403, post(basic("reader", "readerpw"), "config_list", "{}").statusCode());

        String ops = basic("ops", "opspw");
        assertEquals(200, post(ops, "config_list", "{}").statusCode());
        assertEquals(200, post(ops, "config_list", "{}").statusCode()); // remembered now
        Path users = karaf.home().resolve("etc/users.properties");
        // Karaf's JAAS watches this file and replaces plain passwords by their digests, on a thread of its own: edit
        // it only once that is done (else its late rewrite undoes the edit). In place, as an editor or jaas:update
        // does: Karaf does not follow a file replaced by a rename (logins then fail until it is written in place)
        Pattern opsLine = Pattern.compile("(?m)^ops\\s*=\\s*\\{CRYPT\\}.*$");
        await("ops's password stored as a digest").atMost(Duration.ofSeconds(30))
                .until(() -> opsLine.matcher(read(users)).find());
        java.util.regex.Matcher before = opsLine.matcher(read(users));
        assertTrue(before.find());
        String oldDigest = before.group();
        String changed = Pattern.compile("(?m)^ops\\s*=.*$").matcher(read(users)).replaceAll("ops = newpw,admin");
        Files.writeString(users, changed);
        // ... and it rewrites the file once more for the new plain password: let it finish (well within the 30 s a
        // login is remembered), so no login reads the file while Karaf writes it
        await("ops's new password stored as a digest").atMost(Duration.ofSeconds(30)).until(() -> {
            java.util.regex.Matcher now = opsLine.matcher(read(users));
            return now.find() && !now.group().equals(oldDigest);
        });
        assertEquals("the old password is refused, although its login was remembered moments ago", 401,
                post(ops, "config_list", "{}").statusCode());
        assertEquals(200, post(basic("ops", "newpw"), "config_list", "{}").statusCode());
    }

    // ---- the functions, secrets and references, audit ----

    @Test
    public void aReferencedSecretIsResolvedInTheRunningServiceAndNeverStoredResolved() throws Exception {
        HttpResponse<String> get = post(admin, "config_get", "{\"name\":\"STRIPE_CONFIG\"}");
        assertEquals(get.body(), 200, get.statusCode());
        String etag = get.headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> set = HttpClientHolder.send(HttpRequest.newBuilder(URI.create(base + "config_set"))
                .header("Authorization", admin).header("Content-Type", "application/json").header("If-Match", etag)
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"STRIPE_CONFIG\",\"value\":{\"enabled\":true,"
                        + "\"key\":\"$[env:" + STRIPE_KEY_ENV + "]\"}}")));
        assertEquals(set.body(), 200, set.statusCode());
        long logFrom = Files.size(log());
        HttpResponse<String> refresh = post(admin, "service_refresh", "{\"name\":\"stripe\"}");
        assertEquals("{\"success\":true}", refresh.body());
        await("stripe RUNNING").atMost(Duration.ofSeconds(30)).until(() -> post(admin, "service_info",
                "{\"name\":\"stripe\"}").body().contains("\"state\":\"RUNNING\""));
        await("the Stripe service built its client with the key from the environment").atMost(Duration.ofSeconds(20))
                .until(() -> readFrom(log(), logFrom).contains("Stripe client built (live mode)"));
        String file = read(karaf.home().resolve("etc/jsorc.glob.STRIPE_CONFIG.cfg"));
        assertTrue(file, file.contains("$[env:" + STRIPE_KEY_ENV + "]"));
        assertFalse(file, file.contains("sk_live_from_env_42"));
        assertFalse(read(log()).contains("sk_live_from_env_42"));

        // the other functions, end to end
        assertTrue(post(admin, "config_index", "{}").body().contains("\"STRIPE_CONFIG\""));
        assertTrue(post(admin, "config_list", "{}").body().contains("\"STRIPE_CONFIG\""));
        assertEquals("true", post(admin, "config_exists", "{\"name\":\"STRIPE_CONFIG\"}").body());
        HttpResponse<String> update = post(admin, "config_update",
                "{\"name\":\"STRIPE_CONFIG\",\"field_key\":\"enabled\",\"field_value\":false}");
        assertEquals(update.body(), 200, update.statusCode());
        assertEquals(200, post(admin, "config_set", "{\"name\":\"ITEST_HTTP\",\"do_check\":false,\"value\":[1]}")
                .statusCode());
        assertEquals("[\"ITEST_HTTP Deleted.\"]",
                post(admin, "config_delete", "{\"name\":\"ITEST_HTTP\",\"do_check\":false}").body());
        HttpResponse<String> doc = HTTP.send(HttpRequest.newBuilder(URI.create(base + "openapi.json")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(doc.body().contains("\"/js_admin/config_update\""));
    }

    @Test
    public void secretsAreMaskedOnEverySurfaceAndEveryChangeIsAudited() throws Exception {
        String value = "{\"enabled\":false,\"key\":\"" + PLAIN_SECRET + "\",\"proxy\":\"http://u:" + URL_PASSWORD
                + "@proxy:3128\"}";
        HttpResponse<String> set = post(admin, "config_set", "{\"name\":\"STRIPE_CONFIG\",\"value\":" + value + "}");
        assertEquals(set.body(), 200, set.statusCode());
        HttpResponse<String> get = post(admin, "config_get", "{\"name\":\"STRIPE_CONFIG\"}");
        KarafDistribution.Result console = karaf.jsorc(karaf.home().resolve("data/tmp"), "config-get", "STRIPE_CONFIG");
        assertTrue(console.toString(), console.ok());
        KarafDistribution.Result refreshed = karaf.jsorc(karaf.home().resolve("data/tmp"), "service-refresh", "stripe");
        assertTrue(refreshed.toString(), refreshed.ok());
        for (String surface : List.of(set.body(), get.body(), console.out())) {
            assertTrue(surface, surface.contains("********"));
            assertFalse(surface, surface.contains(PLAIN_SECRET) || surface.contains(URL_PASSWORD));
        }
        String audit = read(auditLog());
        assertFalse(audit.contains(PLAIN_SECRET) || audit.contains(URL_PASSWORD));
        assertFalse(read(log()).contains(PLAIN_SECRET) || read(log()).contains(URL_PASSWORD));
        List<String> lines = audit.lines().filter(l -> l.contains("\"target\":\"STRIPE_CONFIG\"")
                && l.contains("\"source\":\"http\"") && l.contains("\"actor\":\"admin\"")
                && l.contains("\"action\":\"config_set\"") && l.contains("\"key\":\"********\"")).toList();
        assertFalse(audit, lines.isEmpty());
        assertTrue(audit, audit.lines().anyMatch(l -> l.contains("\"action\":\"service_refresh\"")
                && l.contains("\"target\":\"stripe\"") && l.contains("\"source\":\"console\"")));
        assertFalse("the audit trail is only in its own file", read(log()).contains("\"action\":\"config_set\""));
    }

    @Test
    public void anEditOfAGlobFileIsAuditedAsAFileEdit() throws Exception {
        Path file = karaf.home().resolve("etc/jsorc.glob.STRIPE_CONFIG.cfg");
        await("STRIPE_CONFIG in its file").atMost(Duration.ofSeconds(60))
                .until(() -> Pattern.compile("(?m)^json = ").matcher(read(file)).find());
        String edited = Pattern.compile("(?m)^json = .*$").matcher(read(file))
                .replaceAll(java.util.regex.Matcher.quoteReplacement(
                        "json = \"\\{\\\"enabled\\\":false,\\\"edited\\\":\\\"by-file\\\",\\\"api_token\\\":\\\"tok-file-1\\\"\\}\""));
        // as an editor saves: a hidden temp file (not *.cfg, FileInstall ignores it) renamed over the file
        Path tmp = file.resolveSibling(".itest-edit.tmp");
        Files.writeString(tmp, edited, StandardCharsets.ISO_8859_1);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        String[] line = {null};
        await("the file edit in the audit trail").atMost(Duration.ofSeconds(30)).until(() -> {
            line[0] = read(auditLog()).lines().filter(l -> l.contains("\"edited\":\"by-file\"")
                    && l.contains("\"source\":\"file\"")).findFirst().orElse(null);
            return line[0] != null;
        });
        java.util.regex.Matcher revision = Pattern.compile("\"revision\":(\\d+)").matcher(line[0]);
        assertTrue(line[0], revision.find());
        // the edit became that revision: settled once the store wrote it back to the file (later tests compare files)
        await("the file holds revision " + revision.group(1)).atMost(Duration.ofSeconds(30))
                .until(() -> read(file).contains("jsorc.revision = L\"" + revision.group(1) + "\""));
        assertFalse(read(auditLog()).contains("tok-file-1"));
        assertTrue(post(admin, "config_get", "{\"name\":\"STRIPE_CONFIG\"}").body().contains("by-file"));
    }

    // ---- the corpus ----

    /** One bad request: what, how, and whether a 2xx is acceptable (a read of nothing, say). */
    record Bad(String what, String fn, String method, Map<String, String> headers, byte[] body, boolean readOnly) {
    }

    @Test
    public void twoHundredBadRequestsGetNo5xxLogNoErrorAndChangeNothing() throws Exception {
        List<Bad> corpus = corpus();
        assertTrue("corpus size " + corpus.size(), corpus.size() >= 200);
        Map<String, String> before = globFiles();
        long logFrom = Files.size(log());
        long auditBefore = Files.exists(auditLog()) ? Files.size(auditLog()) : 0;
        List<String> wrong = new ArrayList<>();
        for (Bad bad : corpus) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + bad.fn()))
                    .timeout(Duration.ofSeconds(60))
                    .method(bad.method(), HttpRequest.BodyPublishers.ofByteArray(bad.body()));
            bad.headers().forEach(request::header);
            int status;
            try {
                status = bad.body().length > 1024 * 1024 ? rawStatus(bad)
                        : HTTP.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
            } catch (IOException e) {
                wrong.add(bad.what() + ": " + e);
                continue;
            }
            if (status >= 500 || !bad.readOnly() && status < 400) {
                wrong.add(bad.what() + ": " + status);
            }
        }
        assertEquals(List.of(), wrong);
        assertEquals("every glob file byte-identical", before, globFiles());
        assertEquals("no audit entry", auditBefore, Files.exists(auditLog()) ? Files.size(auditLog()) : 0);
        String logged = readFrom(log(), logFrom);
        List<String> errors = logged.lines().filter(l -> l.contains("| ERROR ") || l.contains("| WARN ")
                && l.contains("io.jsorc")).toList();
        assertEquals(List.of(), errors);
    }

    /**
     * The status of a request with a large body, over a plain socket: the server may answer before it read the body
     * (a 413 from Content-Length) and close, which {@link HttpClient} reports as a broken connection; and JDK 17's
     * client waits forever when an {@code Expect: 100-continue} gets a final answer instead.
     */
    static int rawStatus(Bad bad) throws IOException {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", karaf.httpPort())) {
            socket.setSoTimeout(60_000);
            StringBuilder head = new StringBuilder(bad.method() + " /js_admin/" + bad.fn() + " HTTP/1.1\r\n")
                    .append("Host: 127.0.0.1:").append(karaf.httpPort()).append("\r\n")
                    .append("Content-Length: ").append(bad.body().length).append("\r\nConnection: close\r\n");
            bad.headers().forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
            head.append("\r\n");
            java.io.OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            Thread writer = new Thread(() -> {
                try {
                    out.write(bad.body());
                    out.flush();
                } catch (IOException closedEarly) {
                    // the server answered without reading it all: expected for a refused body
                }
            }, "http-it-body");
            writer.setDaemon(true);
            writer.start();
            String status = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    StandardCharsets.ISO_8859_1)).readLine();
            if (status == null || !status.startsWith("HTTP/1.1 ")) {
                throw new IOException("no HTTP status line: " + status);
            }
            return Integer.parseInt(status.substring(9, 12));
        }
    }

    private static Map<String, String> globFiles() throws IOException {
        try (var files = Files.list(karaf.home().resolve("etc"))) {
            Map<String, String> out = new TreeMap<>();
            for (Path file : files.filter(p -> p.getFileName().toString().startsWith("jsorc.glob."))
                    .collect(Collectors.toList())) {
                out.put(file.getFileName().toString(), Files.readString(file, StandardCharsets.ISO_8859_1));
            }
            assertFalse("glob files exist", out.isEmpty());
            return out;
        }
    }

    static Map<String, String> json() {
        return Map.of("Authorization", admin, "Content-Type", "application/json");
    }

    static Bad bad(String what, String fn, String body) {
        return new Bad(what, fn, "POST", json(), body.getBytes(StandardCharsets.UTF_8), false);
    }

    static Bad read(String what, String fn, String body) {
        return new Bad(what, fn, "POST", json(), body.getBytes(StandardCharsets.UTF_8), true);
    }

    static List<Bad> corpus() {
        List<Bad> corpus = new ArrayList<>();
        Map<String, List<String>> fields = Map.of(
                "config_get", List.of("name", "do_check"),
                "config_set", List.of("name", "value", "do_check", "rev"),
                "config_update", List.of("name", "field_key", "field_value", "do_check", "rev"),
                "config_exists", List.of("name"),
                "config_delete", List.of("name", "do_check", "rev"),
                "service_refresh", List.of("name"),
                "service_info", List.of("name"));
        Map<String, String> valid = Map.of("name", "\"STRIPE_CONFIG\"", "value", "{\"enabled\":false}",
                "do_check", "true", "rev", "987654321", "field_key", "\"enabled\"", "field_value", "false");
        List<String> wrongTypes = List.of("987654321", "true", "[1]", "{\"a\":1}", "-1", "1.5", "\"7\"", "1e30", "null",
                "\"\"");
        for (Map.Entry<String, List<String>> fn : new TreeMap<>(fields).entrySet()) {
            for (String field : fn.getValue()) {
                if (field.equals("value") || field.equals("field_value")) {
                    continue; // any JSON is a value: the store judges it below
                }
                for (String wrongValue : wrongTypes) {
                    // what fits the field (a null optional field is absent) is not bad input
                    boolean fits = field.equals("do_check") && wrongValue.equals("true")
                            || !field.equals("name") && !field.equals("field_key") && wrongValue.equals("null");
                    if (fits) {
                        continue;
                    }
                    StringBuilder body = new StringBuilder("{");
                    for (String f : fn.getValue()) {
                        if (f.equals("field_value") || f.equals("value") || f.equals("name") || f.equals(field)) {
                            body.append(body.length() > 1 ? "," : "").append('"').append(f).append("\":")
                                    .append(f.equals(field) ? wrongValue : f.equals("name") && fn.getKey()
                                            .startsWith("service_") ? "\"stripe\"" : valid.get(f));
                        }
                    }
                    body.append('}');
                    boolean readOnly = List.of("config_get", "config_exists", "service_info").contains(fn.getKey());
                    corpus.add(new Bad(fn.getKey() + " " + field + "=" + wrongValue, fn.getKey(), "POST", json(),
                            body.toString().getBytes(StandardCharsets.UTF_8), readOnly));
                }
            }
            corpus.add(bad(fn.getKey() + " unknown field", fn.getKey(), "{\"name\":\"STRIPE_CONFIG\",\"nme\":1}"));
        }
        // odd and path-like names
        for (String name : List.of("../../etc/passwd", "/etc/passwd", "..", "", " ", "a".repeat(101), "NAME\\u0000",
                "\u540d\u524d", "\ud83d\udca5", "a/b", "a\\\\b", "%2e%2e", "REDIS_CONFIG\\n", "jsorc.glob.X",
                "STRIPE_CONFIG ", "$[env:HOME]")) {
            String quoted = "\"" + name + "\"";
            corpus.add(bad("config_set name " + name, "config_set", "{\"name\":" + quoted + ",\"value\":{},\"do_check\":false}"));
            corpus.add(bad("config_delete name " + name, "config_delete", "{\"name\":" + quoted + ",\"do_check\":false}"));
            corpus.add(read("config_get name " + name, "config_get", "{\"name\":" + quoted + ",\"do_check\":false}"));
            corpus.add(read("config_exists name " + name, "config_exists", "{\"name\":" + quoted + "}"));
            corpus.add(bad("service_refresh name " + name, "service_refresh", "{\"name\":" + quoted + "}"));
        }
        // malformed JSON
        for (String text : List.of("{", "}", "[", "nul", "{\"name\":}", "{\"name\":\"STRIPE_CONFIG\",}", "{'name':'x'}",
                "{\"name\":NaN}", "/* c */ {}", "{\"name\":\"STRIPE_CONFIG\"} {}", "{\"name\":\"\\ud800\"", "\"str\"",
                "123", "[{\"name\":\"STRIPE_CONFIG\"}]", "{\"name\":\"STRIPE_CONFIG\",\"value\":{\"a\":1,\"a\":2}}",
                "{\"name\":\"STRIPE_CONFIG\",\"name\":\"META_CONFIG\",\"value\":{}}",
                "{\"value\":{},\"value\":{},\"name\":\"STRIPE_CONFIG\"}")) {
            corpus.add(bad("malformed " + text, "config_set", text));
        }
        corpus.add(new Bad("invalid UTF-8", "config_set", "POST", json(),
                new byte[] {'{', '"', 'n', 'a', 'm', 'e', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'}, false));
        // a byte order mark is allowed by JSON's RFC (Jackson skips it): harmless on a read
        corpus.add(new Bad("BOM", "config_get", "POST", json(),
                ("\ufeff{\"name\":\"STRIPE_CONFIG\"}").getBytes(StandardCharsets.UTF_8), true));
        // values the store refuses
        for (String value : List.of("[]", "42", "\"text\"", "null", "\"{not json\"", "\"[1,2]\"",
                "{\"key\":\"********\",\"new_token\":\"********\"}")) {
            corpus.add(bad("STRIPE_CONFIG value " + value, "config_set", "{\"name\":\"STRIPE_CONFIG\",\"value\":" + value + "}"));
        }
        // deep nesting and big bodies
        corpus.add(bad("deep 250", "config_set", "{\"name\":\"STRIPE_CONFIG\",\"value\":" + "[".repeat(250)
                + "]".repeat(250) + "}"));
        corpus.add(bad("deep 100000", "config_set", "{\"name\":\"STRIPE_CONFIG\",\"value\":" + "[".repeat(100_000)));
        corpus.add(bad("2 MiB value", "config_set", "{\"name\":\"STRIPE_CONFIG\",\"value\":{\"x\":\""
                + "y".repeat(2 * 1024 * 1024) + "\"}}"));
        corpus.add(bad("9 MiB manifest", "config_set", "{\"name\":\"X_MANIFEST\",\"do_check\":false,\"value\":{\"x\":\""
                + "y".repeat(9 * 1024 * 1024) + "\"}}"));
        corpus.add(read("2 MiB name for a read", "config_exists", "{\"name\":\"" + "N".repeat(2 * 1024 * 1024) + "\"}"));
        // revisions
        corpus.add(bad("stale rev", "config_set", "{\"name\":\"STRIPE_CONFIG\",\"value\":{},\"rev\":999999}"));
        corpus.add(bad("stale rev delete", "config_delete", "{\"name\":\"STRIPE_CONFIG\",\"rev\":888888}"));
        corpus.add(bad("stale rev update", "config_update",
                "{\"name\":\"STRIPE_CONFIG\",\"field_key\":\"enabled\",\"field_value\":true,\"rev\":777777}"));
        corpus.add(bad("not recognized", "config_set", "{\"name\":\"FOO_CONFIG\",\"value\":{}}"));
        corpus.add(bad("update missing field", "config_update",
                "{\"name\":\"STRIPE_CONFIG\",\"field_key\":\"nope\",\"field_value\":1}"));
        corpus.add(bad("update not a dict", "config_update",
                "{\"name\":\"NOPE_GLOB\",\"do_check\":false,\"field_key\":\"a\",\"field_value\":1}"));
        corpus.add(bad("update field_value not given", "config_update", "{\"name\":\"STRIPE_CONFIG\",\"field_key\":\"a\"}"));
        for (String ifMatch : List.of("*", "\"abc\"", "1, 2", "W/\"x\"", "\"99999\"")) {
            Map<String, String> headers = new java.util.HashMap<>(json());
            headers.put("If-Match", ifMatch);
            corpus.add(new Bad("If-Match " + ifMatch, "config_set", "POST", headers,
                    "{\"name\":\"STRIPE_CONFIG\",\"value\":{}}".getBytes(StandardCharsets.UTF_8), false));
        }
        // content types and cross-site
        for (String type : List.of("text/plain", "application/x-www-form-urlencoded", "application/xml",
                "application/json; charset=utf-16", "application/jsonp", "multipart/form-data; boundary=x")) {
            corpus.add(new Bad("type " + type, "config_set", "POST", Map.of("Authorization", admin, "Content-Type", type),
                    "{\"name\":\"STRIPE_CONFIG\",\"value\":{}}".getBytes(StandardCharsets.UTF_8), false));
        }
        corpus.add(new Bad("untyped body", "config_set", "POST", Map.of("Authorization", admin),
                "{\"name\":\"STRIPE_CONFIG\",\"value\":{}}".getBytes(StandardCharsets.UTF_8), false));
        String multipart = "--b\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nSTRIPE_CONFIG\r\n"
                + "--b\r\nContent-Disposition: form-data; name=\"value\"\r\n\r\n{}\r\n--b--\r\n";
        corpus.add(new Bad("multipart without X-Requested-By", "config_set", "POST",
                Map.of("Authorization", admin, "Content-Type", "multipart/form-data; boundary=b"),
                multipart.getBytes(StandardCharsets.UTF_8), false));
        corpus.add(new Bad("multipart field twice", "config_set", "POST",
                Map.of("Authorization", admin, "Content-Type", "multipart/form-data; boundary=b", "X-Requested-By", "t"),
                multipart.replace("--b--", "--b\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nX\r\n--b--")
                        .getBytes(StandardCharsets.UTF_8), false));
        for (String origin : List.of("https://evil.example", "null", "http://127.0.0.1:1")) {
            corpus.add(new Bad("Origin " + origin, "config_set", "POST", Map.of("Authorization", admin,
                    "Content-Type", "application/json", "Origin", origin),
                    "{\"name\":\"STRIPE_CONFIG\",\"value\":{}}".getBytes(StandardCharsets.UTF_8), false));
        }
        corpus.add(new Bad("Sec-Fetch-Site cross-site", "config_set", "POST", Map.of("Authorization", admin,
                "Content-Type", "application/json", "Sec-Fetch-Site", "cross-site"),
                "{\"name\":\"STRIPE_CONFIG\",\"value\":{}}".getBytes(StandardCharsets.UTF_8), false));
        // credentials
        for (String authorization : List.of("Basic", "Basic !!!", "Basic " + Base64.getEncoder().encodeToString(
                "admin".getBytes(StandardCharsets.UTF_8)), basic("admin", ""), basic("", "x"), "Bearer token",
                basic("reader", "readerpw"), basic("admin\u0000", "x"))) {
            corpus.add(new Bad("Authorization " + authorization, "config_set", "POST", Map.of("Authorization",
                    authorization, "Content-Type", "application/json"),
                    "{\"name\":\"STRIPE_CONFIG\",\"value\":{}}".getBytes(StandardCharsets.UTF_8), false));
        }
        // functions and methods
        for (String fn : List.of("nope", "CONFIG_SET", "config_set/", "config_set/x", "%2e%2e/config_set",
                "config_set%00", "%E9%85%8D%E7%BD%AE", "apply_yaml", "load_yaml", "..%2F..%2Fetc%2Fpasswd")) {
            corpus.add(bad("function " + fn, fn, "{\"name\":\"STRIPE_CONFIG\",\"value\":{}}"));
        }
        for (String method : List.of("GET", "PUT", "DELETE", "PATCH")) {
            corpus.add(new Bad("method " + method, "config_set", method, json(),
                    "{\"name\":\"STRIPE_CONFIG\",\"value\":{}}".getBytes(StandardCharsets.UTF_8), false));
        }
        return corpus;
    }

    /** The client, for requests built by hand. */
    static final class HttpClientHolder {
        static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
    }
}
