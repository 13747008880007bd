package io.jsorc.redis;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jsorc.api.ServiceState;
import io.jsorc.testkit.TestKit;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The redis service against a real redis-server: start, ping, the wrappers, FAILED when Redis is away, back after. */
class RedisServiceTest {

    TestKit kit;
    RedisServer redis;

    @BeforeEach
    void start() throws Exception {
        redis = new RedisServer().start();
        kit = TestKit.create();
        kit.globs().set(RedisService.CONFIG, "{\"enabled\":true,\"host\":\"127.0.0.1\",\"port\":" + redis.port
                + ",\"db\":1}", null, TestKit.TEST);
        kit.register(RedisService.NAME, RedisService::new);
    }

    @AfterEach
    void stop() throws Exception {
        kit.close();
        redis.close();
    }

    RedisService service() {
        return (RedisService) kit.hook().service(RedisService.NAME);
    }

    ServiceState state() {
        return kit.meta().info(RedisService.NAME).orElseThrow().state();
    }

    @Test
    void itRunsAndTheWrappersReachRedis() {
        await("redis RUNNING").atMost(Duration.ofSeconds(10)).until(() -> state() == ServiceState.RUNNING);
        RedisService svc = service();
        assertTrue(svc.set("k", "v"));
        assertEquals("v", svc.get("k"));
        assertTrue(svc.exists("k"));
        assertEquals(1, svc.delete("k"));
        assertFalse(svc.exists("k"));
        assertNull(svc.get("k"));
        assertEquals(1, svc.hset("global", "REDIS_CONFIG", "{}"));
        assertEquals(0, svc.hset("global", "REDIS_CONFIG", "{\"a\":1}"), "an update");
        assertEquals(1, svc.hset("global", "META_CONFIG", "{}"));
        assertEquals("{\"a\":1}", svc.hget("global", "REDIS_CONFIG"));
        assertTrue(svc.hexists("global", "META_CONFIG"));
        assertEquals(List.of("META_CONFIG", "REDIS_CONFIG"), svc.hkeys("global"));
        assertEquals(1, svc.hdel("global", "META_CONFIG"));
        assertFalse(svc.hexists("global", "META_CONFIG"));
        IllegalStateException refused = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                svc::clear);
        assertEquals("FLUSHDB refused: this database holds the shared config globs (hash global); nothing was "
                + "flushed", refused.getMessage());
        assertEquals("{\"a\":1}", svc.hget("global", "REDIS_CONFIG"), "nothing flushed");
        assertEquals(1, svc.hdel("global", "REDIS_CONFIG"));
        svc.set("other", "x");
        assertTrue(svc.clear(), "no shared globs here: flushed");
        assertFalse(svc.exists("other"));
    }

    @Test
    void redisLostWhileRunningFailsTheServiceAndTheWrappersAnswerAsNotRunning() throws Exception {
        await("redis RUNNING").atMost(Duration.ofSeconds(10)).until(() -> state() == ServiceState.RUNNING);
        RedisService svc = service();
        assertTrue(svc.set("k", "v"));
        redis.close();
        assertNull(svc.get("k"), "answered as not running, nothing thrown at the caller");
        await("redis FAILED").atMost(Duration.ofSeconds(10)).until(() -> state() == ServiceState.FAILED);
        assertTrue(kit.meta().info(RedisService.NAME).orElseThrow().lastError().contains("is unreachable"));
    }

    @Test
    void aCommandErrorIsTheCallersAndTheServiceStays() {
        await("redis RUNNING").atMost(Duration.ofSeconds(10)).until(() -> state() == ServiceState.RUNNING);
        RedisService svc = service();
        assertTrue(svc.set("plain", "text"));
        redis.clients.jedis.exceptions.JedisDataException wrongType = org.junit.jupiter.api.Assertions.assertThrows(
                redis.clients.jedis.exceptions.JedisDataException.class, () -> svc.hget("plain", "f"));
        assertTrue(wrongType.getMessage().startsWith("WRONGTYPE"), wrongType.getMessage());
        assertEquals(ServiceState.RUNNING, state(), "Redis is there: the service stays");
    }

    @Test
    void wrongCredentialsAreSaidAsSuch() throws Exception {
        try (RedisServer guarded = new RedisServer("--requirepass", "s3cret").start()) {
            kit.globs().set(RedisService.CONFIG, "{\"enabled\":true,\"host\":\"127.0.0.1\",\"port\":" + guarded.port
                    + ",\"password\":\"wrong\"}", null, TestKit.TEST);
            kit.meta().refresh(RedisService.NAME);
            await("redis FAILED").atMost(Duration.ofSeconds(10)).until(() -> state() == ServiceState.FAILED);
            String error = kit.meta().info(RedisService.NAME).orElseThrow().lastError();
            assertTrue(error.contains("Redis at 127.0.0.1:" + guarded.port + " refused the credentials: WRONGPASS"),
                    error);
            assertFalse(error.contains("s3cret") || error.contains("wrong\""), error);
            kit.globs().set(RedisService.CONFIG, "{\"enabled\":true,\"host\":\"127.0.0.1\",\"port\":" + guarded.port
                    + ",\"password\":\"s3cret\"}", null, TestKit.TEST);
            kit.meta().refresh(RedisService.NAME);
            await("redis RUNNING with the password").atMost(Duration.ofSeconds(10))
                    .until(() -> state() == ServiceState.RUNNING);
        }
    }

    @Test
    void redisAwayFailsItWithOneReadableLineAndARefreshBringsItBack() throws Exception {
        await("redis RUNNING").atMost(Duration.ofSeconds(10)).until(() -> state() == ServiceState.RUNNING);
        redis.close();
        kit.meta().refresh(RedisService.NAME);
        await("redis FAILED").atMost(Duration.ofSeconds(10)).until(() -> state() == ServiceState.FAILED);
        String error = kit.meta().info(RedisService.NAME).orElseThrow().lastError();
        assertTrue(error.endsWith("Redis at 127.0.0.1:" + redis.port + " is unreachable: connection refused"), error);
        assertFalse(error.contains("\n"), "one line");
        RedisService svc = service();
        assertNull(svc.get("k"), "not running: the original's answer, nothing thrown");
        assertFalse(svc.set("k", "v"));
        assertEquals(List.of(), svc.hkeys("global"));
        redis.start();
        kit.meta().refresh(RedisService.NAME);
        await("redis RUNNING again").atMost(Duration.ofSeconds(10)).until(() -> state() == ServiceState.RUNNING);
        assertTrue(service().set("k", "back"));
    }

    @Test
    void theDefaultsAreTheOriginalsPlusJedisSettings() {
        await("redis built").atMost(Duration.ofSeconds(10)).until(() -> state() != ServiceState.NOT_STARTED);
        assertEquals("{\"enabled\":true,\"host\":\"127.0.0.1\",\"port\":" + redis.port + ",\"db\":1,\"quiet\":false,"
                + "\"user\":null,\"password\":null,\"ssl\":false,\"connect_timeout_ms\":2000,\"socket_timeout_ms\":2000,"
                + "\"pool_size\":8}", kit.globs().get(RedisService.CONFIG).orElseThrow().json(),
                "keys new in the defaults are added to a stored REDIS_CONFIG");
        assertEquals("connection refused", RedisService.reason(new RuntimeException("x",
                new java.net.ConnectException("Connection refused"))));
        assertEquals("unknown host nohost", RedisService.reason(new java.net.UnknownHostException("nohost")));
    }
}
