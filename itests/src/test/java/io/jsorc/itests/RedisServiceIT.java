package io.jsorc.itests;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.After;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * The redis service in the distribution: feature {@code jsorc-redis} installs offline from {@code system/}; with no
 * Redis the service is FAILED with one readable line and the platform goes on; a real {@code redis-server} started by
 * the test and a {@code service-refresh} make it RUNNING (its pool's connections are named {@code jsorc}); removing
 * the feature closes them.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class RedisServiceIT extends JsorcTestSupport {

    private Process redis;

    @After
    public void stopRedis() throws Exception {
        if (redis != null && redis.isAlive()) {
            redis.destroy();
            if (!redis.waitFor(5, TimeUnit.SECONDS)) {
                redis.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    public void redisFailsClearlyWithoutRedisRunsWithItAndReleasesItsConnections() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        executeCommand("jsorc:config-set --no-check REDIS_CONFIG '{\"host\":\"127.0.0.1\",\"port\":" + port + "}'");
        asAdmin("feature:install jsorc-redis");
        awaitCommandOutput("jsorc:service-info redis", "FAILED, Redis unreachable",
                out -> out.contains("FAILED") && out.contains("Redis at 127.0.0.1:" + port
                        + " is unreachable: connection refused"), Duration.ofSeconds(60));
        assertTrue(executeCommand("jsorc:service-list").contains("meta"));

        Path binary = Path.of("/usr/bin/redis-server");
        assertTrue("Debian's redis-server is installed (.ci/test installs it)", Files.isExecutable(binary));
        redis = new ProcessBuilder(List.of(binary.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no")).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        org.awaitility.Awaitility.await("redis-server answering on " + port).atMost(Duration.ofSeconds(10))
                .ignoreExceptions().until(() -> command(port, "PING").startsWith("+PONG"));

        executeCommand("jsorc:service-refresh redis");
        awaitCommandOutput("jsorc:service-info redis", "RUNNING", out -> out.contains("RUNNING"),
                Duration.ofSeconds(30));
        assertTrue("the pool's connection is open, named jsorc", command(port, "CLIENT LIST").contains("name=jsorc"));
        assertTrue(executeCommand("jsorc:config-get REDIS_CONFIG").contains("\"pool_size\":8"));

        java.lang.ref.WeakReference<ClassLoader> loader = new java.lang.ref.WeakReference<>(java.util.Arrays
                .stream(bundleContext.getBundles()).filter(b -> "io.jsorc.redis".equals(b.getSymbolicName()))
                .findFirst().orElseThrow().adapt(org.osgi.framework.wiring.BundleWiring.class).getClassLoader());
        asAdmin("feature:uninstall jsorc-redis");
        awaitCommandOutput("jsorc:service-list", "no redis", out -> !out.contains("redis"), Duration.ofSeconds(30));
        org.awaitility.Awaitility.await("the pool's connections closed").atMost(Duration.ofSeconds(10))
                .until(() -> !command(port, "CLIENT LIST").contains("name=jsorc"));
        assertFalse(command(port, "CLIENT LIST").contains("name=jsorc"));
        org.awaitility.Awaitility.await("the redis bundle's class loader collected").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500)).until(() -> {
                    System.gc();
                    return loader.get() == null;
                });
        assertFalse("no commons-pool evictor thread left", Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().contains("commons-pool")));
    }


    /** One inline command over a raw socket; the first reply, as text (a bulk string's payload included). */
    private static String command(int port, String line) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(2000);
            OutputStream out = socket.getOutputStream();
            out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder reply = new StringBuilder();
            int c;
            while ((c = in.read()) != -1) {
                reply.append((char) c);
                if (reply.length() >= 2 && reply.charAt(reply.length() - 2) == '\r' && reply.charAt(reply.length() - 1) == '\n') {
                    if (reply.charAt(0) != '$') {
                        break;
                    }
                    int length = Integer.parseInt(reply.substring(1, reply.indexOf("\r")));
                    byte[] payload = in.readNBytes(length + 2);
                    reply.append(new String(payload, StandardCharsets.UTF_8));
                    break;
                }
            }
            return reply.toString();
        }
    }
}
