package io.jsorc.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * Two real nodes (two copies of the distribution, started by the test through their scripts) on one real
 * {@code redis-server} with a password, sharing their globs as the README says: {@code etc/jsorc.globs.shared.cfg}
 * (password from the environment through Config Admin interpolation) and {@code feature:install jsorc-redis}. Then a
 * third node that ran on its own joins.
 */
public class SharedGlobsIT {

    private static final String PASSWORD = "s3cret-for-the-test";
    private static Path work;
    private static Process redis;
    private static int redisPort;
    private static KarafDistribution a;
    private static KarafDistribution b;

    @BeforeClass
    public static void startRedisAndTwoNodes() throws Exception {
        work = Paths.get("target", "shared-globs-it", Long.toString(System.currentTimeMillis())).toAbsolutePath();
        Files.createDirectories(work);
        try (ServerSocket free = new ServerSocket(0)) {
            redisPort = free.getLocalPort();
        }
        startRedis();
        a = node("nodeA");
        b = node("nodeB");
        a.start(false, Map.of("JSORC_REDIS_PASSWORD", PASSWORD));
        b.start(false, Map.of("JSORC_REDIS_PASSWORD", PASSWORD));
        for (KarafDistribution node : List.of(a, b)) {
            node.awaitClient("admin", password(node), "jsorc:service-list");
            KarafDistribution.Result install = client(node, "feature:install jsorc-redis");
            assertTrue("feature:install jsorc-redis: " + install, install.ok());
        }
        await("both nodes follow the shared store").atMost(Duration.ofSeconds(60))
                .until(() -> redis("HKEYS jsorc:nodes").contains("nodeA") && redis("HKEYS jsorc:nodes").contains("nodeB"));
    }

    /** A real redis-server with a password, without persistence, on the test's port. */
    private static void startRedis() throws IOException {
        Path binary = Path.of("/usr/bin/redis-server");
        assertTrue("Debian's redis-server is installed (.ci/test installs it)", Files.isExecutable(binary));
        redis = new ProcessBuilder(List.of(binary.toString(), "--port", Integer.toString(redisPort), "--bind",
                "127.0.0.1", "--save", "", "--appendonly", "no", "--requirepass", PASSWORD)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        await("redis-server answering on " + redisPort).atMost(Duration.ofSeconds(10)).ignoreExceptions()
                .until(() -> redis("PING").startsWith("+PONG"));
    }

    /** A copy of the distribution named {@code name}, pointed at the test's Redis. */
    private static KarafDistribution node(String name) throws IOException, InterruptedException {
        KarafDistribution node = KarafDistribution.unpack(
                Paths.get(System.getProperty("jsorc.assembly", "target/jsorc-assembly.tar.gz")), work.resolve(name));
        Path system = node.home().resolve("etc/system.properties");
        Files.writeString(system, Files.readString(system, StandardCharsets.ISO_8859_1)
                .replaceFirst("(?m)^karaf\\.name\\s*=.*$", "karaf.name = " + name), StandardCharsets.ISO_8859_1);
        Files.writeString(node.home().resolve("etc/jsorc.globs.shared.cfg"), String.join("\n",
                "enabled = true",
                "host = 127.0.0.1",
                "port = " + redisPort,
                "password = $[env:JSORC_REDIS_PASSWORD]",
                "refresh.jitter = 0", ""));
        return node;
    }

    @AfterClass
    public static void stopEverything() throws Exception {
        for (KarafDistribution node : new KarafDistribution[] {a, b}) {
            if (node != null) {
                node.close();
                Path log = node.home().resolve("data/log/karaf.log");
                if (Files.exists(log)) {
                    Files.copy(log, Paths.get("target", "SharedGlobsIT-" + node.home().getParent().getFileName()
                            + "-karaf.log"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        if (redis != null && redis.isAlive()) {
            redis.destroy();
            if (!redis.waitFor(5, TimeUnit.SECONDS)) {
                redis.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
        if (work != null && !Boolean.getBoolean("jsorc.itest.keep")) {
            try (var paths = Files.walk(work)) {
                for (Path path : (Iterable<Path>) paths.sorted(java.util.Comparator.reverseOrder())::iterator) {
                    Files.deleteIfExists(path);
                }
            }
        }
    }

    @Test
    public void twoNodesShareEditsRefreshesAndOutsideEditsAndANodeCatchesUpAndAThirdJoins() throws Exception {
        // a config-set on A is seen on B, and a Jaseci-era HGET global reads it
        assertOk(client(a, "jsorc:config-set --no-check SHARED_CONFIG '{\"n\":1}'"));
        awaitOutput(b, "jsorc:config-get --no-check SHARED_CONFIG", "\"n\":1");
        assertEquals("{\"n\":1}", bulk(redis("HGET global SHARED_CONFIG")));
        awaitOutput(a, "jsorc:status", "in sync; live nodes: nodeA, nodeB");

        // a service-refresh on A refreshes the service on B: REDIS_CONFIG (shared) pointed at the test's Redis
        assertOk(client(a, "jsorc:config-set REDIS_CONFIG '{\"host\":\"127.0.0.1\",\"port\":" + redisPort
                + ",\"password\":\"" + PASSWORD + "\"}'"));
        awaitOutput(b, "jsorc:config-get REDIS_CONFIG", "\"port\":" + redisPort);
        KarafDistribution.Result refresh = client(a, "jsorc:service-refresh redis");
        assertOk(refresh);
        assertTrue(refresh.out(), refresh.out().contains("Other nodes: refreshed on nodeB"));
        awaitOutput(b, "jsorc:service-info redis", "RUNNING");

        // a compare-and-set on a revision another node changed is refused, naming the current revision
        long rev = revision(redis("HGET jsorc:rev SHARED_CONFIG"));
        assertOk(client(a, "jsorc:config-set --no-check --rev " + rev + " SHARED_CONFIG '{\"n\":2}'"));
        KarafDistribution.Result stale = client(b, "jsorc:config-set --no-check --rev " + rev
                + " SHARED_CONFIG '{\"n\":3}'");
        assertTrue(stale.toString(), (stale.out() + stale.err()).contains("revision " + (rev + 1)));
        awaitOutput(b, "jsorc:config-get --no-check SHARED_CONFIG", "\"n\":2");

        // B stopped, three edits on A, B started: B applied all three
        b.stop();
        for (int i = 3; i <= 5; i++) {
            assertOk(client(a, "jsorc:config-set --no-check SHARED_CONFIG '{\"n\":" + i + "}'"));
        }
        b.start(false, Map.of("JSORC_REDIS_PASSWORD", PASSWORD));
        b.awaitClient("admin", password(b), "jsorc:service-list");
        awaitOutput(b, "jsorc:config-get --no-check SHARED_CONFIG", "\"n\":5");
        String bHistory = Files.readString(b.home().resolve("data/jsorc/history/SHARED_CONFIG.history"));
        for (long r = rev + 2; r <= rev + 4; r++) {
            assertTrue("B applied revision " + r + ":\n" + bHistory, bHistory.contains("\"revision\":" + r + ","));
        }

        // an etc/ edit on B reaches A exactly once: one revision, no loop
        Path file = b.home().resolve("etc/jsorc.glob.SHARED_CONFIG.cfg");
        String cfg = Files.readString(file, StandardCharsets.ISO_8859_1);
        Matcher json = Pattern.compile("(?m)^json\\s*=.*$").matcher(cfg);
        assertTrue(cfg, json.find());
        Files.writeString(file, json.replaceFirst(Matcher.quoteReplacement(
                "json = \"\\{\\\\\"n\\\\\":6\\}\"")), StandardCharsets.ISO_8859_1);
        awaitOutput(a, "jsorc:config-get --no-check SHARED_CONFIG", "\"n\":6");
        assertEquals(rev + 5, revision(redis("HGET jsorc:rev SHARED_CONFIG")));
        KarafDistribution.Result history = client(a, "jsorc:config-history SHARED_CONFIG");
        assertTrue(history.out(), history.out().contains("file"));

        // a third node that ran on its own, with its own SHARED_CONFIG, joins: Redis's value wins
        b.stop();
        KarafDistribution c = KarafDistribution.unpack(
                Paths.get(System.getProperty("jsorc.assembly", "target/jsorc-assembly.tar.gz")), work.resolve("nodeC"));
        Path system = c.home().resolve("etc/system.properties");
        Files.writeString(system, Files.readString(system, StandardCharsets.ISO_8859_1)
                .replaceFirst("(?m)^karaf\\.name\\s*=.*$", "karaf.name = nodeC"), StandardCharsets.ISO_8859_1);
        try {
            c.start(false);
            c.awaitClient("admin", password(c), "jsorc:service-list");
            assertOk(client(c, "jsorc:config-set --no-check SHARED_CONFIG '{\"n\":99,\"mine\":true}'"));
            Files.writeString(c.home().resolve("etc/jsorc.globs.shared.cfg"), String.join("\n", "enabled = true",
                    "host = 127.0.0.1", "port = " + redisPort, "password = " + PASSWORD, ""));
            assertOk(client(c, "feature:install jsorc-redis"));
            awaitOutput(c, "jsorc:config-get --no-check SHARED_CONFIG", "\"n\":6");
            KarafDistribution.Result joined = client(a, "jsorc:config-history SHARED_CONFIG");
            assertTrue(joined.out(), joined.out().contains("join"));
        } finally {
            c.close();
        }

        // Redis away: a write on A is refused saying nothing changed (HTTP 503), reads go on; Redis back (empty): A
        // gives its globs back
        redis.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        KarafDistribution.Result refused = client(a, "jsorc:config-set --no-check SHARED_CONFIG '{\"n\":7}'");
        assertTrue(refused.toString(), (refused.out() + refused.err()).toLowerCase().contains("nothing changed"));
        java.net.http.HttpResponse<String> http = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + a.httpPort()
                        + "/js_admin/config_set")).timeout(Duration.ofSeconds(30))
                        .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                                ("admin:" + password(a)).getBytes(StandardCharsets.UTF_8)))
                        .header("Content-Type", "application/json")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                                "{\"name\":\"SHARED_CONFIG\",\"value\":{\"n\":7},\"do_check\":false}")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(http.body(), 503, http.statusCode());
        assertTrue(client(a, "jsorc:config-get --no-check SHARED_CONFIG").out().contains("\"n\":6"));
        startRedis();
        await("A gave SHARED_CONFIG back to the restarted Redis").atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> bulk(redis("HGET global SHARED_CONFIG")).equals("{\"n\":6}"));

        // uninstalling the feature on A (the last node) stops its follower and closes its connections
        assertOk(client(a, "feature:uninstall jsorc-redis"));
        awaitOutput(a, "jsorc:status", "globs:      this node only");
        KarafDistribution.Result threads = client(a, "shell:threads --list");
        assertTrue(threads.out(), !threads.out().contains("jsorc/glob-follower")
                && !threads.out().contains("jsorc/refresh-everywhere"));
        await("A's connections to Redis closed").atMost(Duration.ofSeconds(10))
                .until(() -> !redis("CLIENT LIST").contains("name=jsorc-globs"));
    }

    private static long revision(String reply) {
        return Long.parseLong(bulk(reply));
    }

    private static void assertOk(KarafDistribution.Result result) {
        assertTrue(result.toString(), result.ok() && !result.out().contains("Error") && !result.err().contains("Error"));
    }

    private static void awaitOutput(KarafDistribution node, String command, String expected) {
        String[] last = {""};
        try {
            await(node.home().getParent().getFileName() + ": `" + command + "` shows " + expected)
                    .atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
                        KarafDistribution.Result result = client(node, command);
                        last[0] = result.toString();
                        return result.out().contains(expected);
                    });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(e.getMessage() + "; last answer: " + last[0], e);
        }
    }

    private static KarafDistribution.Result client(KarafDistribution node, String command) throws Exception {
        return node.client("admin", password(node), command);
    }

    private static String password(KarafDistribution node) throws IOException {
        return Files.readString(node.home().resolve("etc/admin.password"), StandardCharsets.UTF_8).trim();
    }

    /** One inline command to the test's Redis (database 1) after AUTH; the raw reply of the command. */
    private static String redis(String command) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", redisPort)) {
            socket.setSoTimeout(2000);
            OutputStream out = socket.getOutputStream();
            // the shared store lives in database 1 (as Jaseci's hash global did)
            out.write(("AUTH " + PASSWORD + "\r\nSELECT 1\r\n" + command + "\r\nQUIT\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            String all = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            String afterAuth = all.substring(all.indexOf("\r\n") + 2);
            String afterSelect = afterAuth.substring(afterAuth.indexOf("\r\n") + 2);
            return afterSelect.substring(0, afterSelect.lastIndexOf("+OK"));
        }
    }

    /** The text of a bulk-string reply ({@code $len\r\ntext\r\n}). */
    private static String bulk(String reply) {
        assertTrue("a bulk reply: " + reply, reply.startsWith("$") && !reply.startsWith("$-1"));
        return reply.substring(reply.indexOf("\r\n") + 2, reply.lastIndexOf("\r\n"));
    }
}
