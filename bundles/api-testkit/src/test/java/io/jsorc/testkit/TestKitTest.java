package io.jsorc.testkit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jsorc.api.CommonService;
import io.jsorc.api.Hook;
import io.jsorc.api.ServiceState;
import io.jsorc.api.config.Origin;
import io.jsorc.api.event.ServiceStateEvent;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class TestKitTest {

    /** Reads ECHO_CONFIG; its app is the configured word; one daemon. */
    static final class Echo extends CommonService<String> {
        @Override
        protected Map<String, Object> buildConfig(Hook hook) {
            Map<String, Object> defaults = new LinkedHashMap<>();
            defaults.put("enabled", false);
            defaults.put("word", "hello");
            return hook.serviceGlob("ECHO_CONFIG", defaults);
        }

        @Override
        protected String run(Hook hook) {
            return (String) getConfig().get("word");
        }

        @Override
        protected void postRun(Hook hook) {
            CountDownLatch never = new CountDownLatch(1);
            spawnDaemon("listener", () -> {
                try {
                    never.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
    }

    @Test
    void registeredServiceWritesItsDefaultsAndStaysDisabled() {
        try (TestKit kit = TestKit.create()) {
            kit.register("echo", Echo::new);
            assertEquals("{\"enabled\":false,\"word\":\"hello\"}", kit.globs().get("ECHO_CONFIG").orElseThrow().json());
            assertEquals(ServiceState.NOT_STARTED, kit.meta().getService("echo", kit.hook()).getState());
            assertTrue(kit.configApi().configIndex().contains("ECHO_CONFIG"));
        }
    }

    @Test
    void setThenRefreshRunsTheServiceWithTheNewConfig() {
        List<ServiceStateEvent> events = new CopyOnWriteArrayList<>();
        try (TestKit kit = TestKit.create()) {
            kit.listen(events::add).register("echo", Echo::new);
            kit.globs().set("ECHO_CONFIG", "{\"enabled\":true,\"word\":\"bonjour\"}", null, Origin.local("t", "test"));
            assertEquals(ServiceState.NOT_STARTED, kit.meta().getService("echo", null).getState(),
                    "set alone restarts nothing");
            assertTrue(kit.meta().refresh("echo"));
            CommonService<?> echo = kit.meta().getService("echo", null);
            assertEquals("bonjour", echo.getApp());
            assertEquals(List.of("listener"), echo.getDaemons());
            await("RUNNING event").until(() -> events.stream().anyMatch(e -> e.to() == ServiceState.RUNNING));
        }
    }

    @Test
    void closeStopsDaemonsAndEveryKitThread() {
        TestKit kit = TestKit.create();
        kit.register("echo", Echo::new);
        kit.globs().set("ECHO_CONFIG", "{\"enabled\":true}", null, Origin.local("t", "test"));
        kit.meta().refresh("echo");
        assertTrue(kit.meta().getService("echo", null).isRunning());
        kit.close();
        await("no jsorc/ thread left").atMost(Duration.ofSeconds(15)).until(() -> Thread.getAllStackTraces()
                .keySet().stream().noneMatch(t -> t.isAlive() && t.getName().startsWith("jsorc/")));
    }

    @Test
    void unregisterRemovesTheServiceAndClosesIt() {
        try (TestKit kit = TestKit.create()) {
            kit.register("echo", Echo::new);
            kit.configApi().configSet("ECHO_CONFIG", "{\"enabled\":true}", true, null, TestKit.TEST);
            kit.meta().refresh("echo");
            CommonService<?> echo = kit.meta().getService("echo", null);
            assertTrue(echo.isRunning());
            kit.unregister("echo");
            assertFalse(echo.isRunning());
            assertEquals(List.of(), echo.getDaemons(), "its daemons stopped");
            assertFalse(kit.meta().serviceNames().contains("echo"));
            assertFalse(kit.configApi().configIndex().contains("ECHO_CONFIG"));
            assertFalse(kit.hook().service("echo").isRunning());
        }
    }

    @Test
    void aServiceBuilderRegistersThroughTheKit() {
        try (TestKit kit = TestKit.create()) {
            var registration = kit.meta().addServiceBuilder(null, "built", Echo::new);
            assertTrue(kit.meta().serviceNames().contains("built"));
            registration.unregister();
            assertFalse(kit.meta().serviceNames().contains("built"));
        }
    }

    @Test
    void timeoutsCanBeGivenAsARegistrationWould() {
        try (TestKit kit = TestKit.create()) {
            kit.register("echo", 3, Duration.ofSeconds(2), Duration.ofSeconds(1), Echo::new);
            assertEquals(Duration.ofSeconds(2), kit.meta().info("echo").orElseThrow().startTimeout());
            assertEquals(Duration.ofSeconds(1), kit.meta().info("echo").orElseThrow().stopTimeout());
            assertEquals(3, kit.meta().info("echo").orElseThrow().ranking());
        }
    }

    /** A secret reference is resolved into the running service's config only; the glob keeps the reference. */
    @Test
    void secretReferencesAreResolvedWhenTheSettingsAreBuiltNeverStored(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path secret = dir.resolve("word");
        java.nio.file.Files.writeString(secret, "from-a-file\n");
        try (TestKit kit = TestKit.create()) {
            kit.register("echo", Echo::new);
            String json = "{\"enabled\":true,\"word\":\"$[file:" + secret + "]\"}";
            kit.configApi().configSet("ECHO_CONFIG", json, true, null, TestKit.TEST);
            assertTrue(kit.meta().refresh("echo"));
            CommonService<?> echo = kit.meta().getService("echo", kit.hook());
            assertEquals("from-a-file", echo.getApp());
            assertEquals(json, kit.globs().get("ECHO_CONFIG").orElseThrow().json(), "stored as written");

            kit.configApi().configSet("ECHO_CONFIG", "{\"enabled\":true,\"word\":\"$[env:JSORC_SURELY_UNSET_42]\"}",
                    true, null, TestKit.TEST);
            assertTrue(kit.meta().refresh("echo"));
            assertFalse(echo.isEnabled(), "a settings error: disabled");
            assertEquals("java.lang.IllegalArgumentException: $[env:JSORC_SURELY_UNSET_42]: environment variable "
                    + "JSORC_SURELY_UNSET_42 is not set", echo.getLastError());
        }
    }
}
