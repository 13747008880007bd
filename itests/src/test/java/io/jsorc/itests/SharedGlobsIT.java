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

        redisKilledDuringEditsFromBothNodes();

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

    /**
     * The two real nodes write over HTTP (two writers each, 1,000 edits of 5 globs and more) while redis-server is
     * SIGKILLed and started again (empty): afterwards both nodes and Redis hold, for every glob, the highest
     * acknowledged revision or a later one, the same on both, within 5 s of the writers stopping.
     */
    private void redisKilledDuringEditsFromBothNodes() throws Exception {
        java.util.List<String> names = java.util.List.of("F0_CONFIG", "F1_CONFIG", "F2_CONFIG", "F3_CONFIG",
                "F4_CONFIG");
        java.util.Map<String, Long> acknowledged = new java.util.concurrent.ConcurrentHashMap<>();
        java.util.Map<String, String> acknowledgedValue = new java.util.concurrent.ConcurrentHashMap<>();
        java.util.concurrent.atomic.AtomicInteger done = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger failed = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger afterRestart = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean restarted = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        java.util.concurrent.ExecutorService writers = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            java.util.List<java.util.concurrent.Future<?>> work = new java.util.ArrayList<>();
            for (KarafDistribution node : java.util.List.of(a, a, b, b)) {
                String auth = "Basic " + java.util.Base64.getEncoder().encodeToString(("admin:" + password(node))
                        .getBytes(StandardCharsets.UTF_8));
                String who = node.home().getParent().getFileName() + "-" + work.size();
                work.add(writers.submit(() -> {
                    for (int i = 0; !stop.get(); i++) {
                        String name = names.get(i % names.size());
                        String value = "{\"by\":\"" + who + "\",\"i\":" + i + "}";
                        java.net.http.HttpResponse<String> answer = http.send(java.net.http.HttpRequest.newBuilder(
                                java.net.URI.create("http://127.0.0.1:" + node.httpPort() + "/js_admin/config_set"))
                                .timeout(Duration.ofSeconds(30)).header("Authorization", auth)
                                .header("Content-Type", "application/json")
                                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name
                                        + "\",\"value\":" + value + ",\"do_check\":false}")).build(),
                                java.net.http.HttpResponse.BodyHandlers.ofString());
                        if (answer.statusCode() == 200) {
                            long rev = Long.parseLong(answer.headers().firstValue("ETag").orElseThrow()
                                    .replace("\"", ""));
                            acknowledged.merge(name, rev, Math::max);
                            acknowledgedValue.put(name + "@" + rev, value);
                            if (restarted.get()) {
                                afterRestart.incrementAndGet();
                            }
                        } else {
                            assertEquals(answer.body(), 503, answer.statusCode());
                            failed.incrementAndGet();
                            java.util.concurrent.locks.LockSupport.parkNanos(5_000_000); // refused at once: pace it
                        }
                        done.incrementAndGet();
                    }
                    return null;
                }));
            }
            await("a third of 1,000 edits made").atMost(Duration.ofSeconds(60)).until(() -> done.get() >= 330);
            redis.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            await("edits refused while Redis is away").atMost(Duration.ofSeconds(30)).until(() -> failed.get() >= 20);
            startRedis();
            restarted.set(true);
            await("1,000 edits made and 100 taken since Redis came back").atMost(Duration.ofSeconds(90))
                    .until(() -> done.get() >= 1000 && afterRestart.get() >= 100);
            stop.set(true);
            for (java.util.concurrent.Future<?> f : work) {
                f.get();
            }
        } finally {
            stop.set(true);
            writers.shutdownNow();
        }
        for (String name : names) {
            long ack = acknowledged.getOrDefault(name, 0L);
            String[] seen = {"", ""};
            try {
                await(name + " the same on both nodes, at revision " + ack + " or later").atMost(Duration.ofSeconds(5))
                        .pollInterval(Duration.ofMillis(200)).until(() -> {
                            seen[0] = client(a, "jsorc:config-get --no-check --revision " + name).out();
                            seen[1] = client(b, "jsorc:config-get --no-check --revision " + name).out();
                            return seen[0].equals(seen[1]) && revisionShown(seen[0]) >= ack;
                        });
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError(e.getMessage() + "\nA: " + seen[0] + "\nB: " + seen[1], e);
            }
            long rev = revisionShown(seen[0]);
            assertEquals(name + " in Redis", Long.toString(rev), bulk(redis("HGET jsorc:rev " + name)));
            if (rev == ack) {
                assertTrue(name + ": the value acknowledged at " + ack + " is kept: " + seen[0],
                        seen[0].contains(acknowledgedValue.get(name + "@" + ack)));
            }
        }
    }

    /** The revision in {@code config-get --revision}'s first line ("revision N, written ..."). */
    private static long revisionShown(String out) {
        Matcher m = Pattern.compile("revision (\\d+)").matcher(out);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
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
