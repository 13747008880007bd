package io.jsorc.example.stripe;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.stripe.StripeClient;
import io.jsorc.api.CommonService;
import io.jsorc.api.Hook;
import io.jsorc.api.MetaService;
import io.jsorc.api.ServiceState;
import io.jsorc.api.config.Origin;
import io.jsorc.testkit.TestKit;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** StripeService's life cycle through the API test kit (in-memory hook and MetaService, no Karaf). */
class StripeServiceTest {

    private static final String THREAD = "jsorc/stripe/" + StripeService.DAEMON;
    private static final Origin TEST = Origin.local("test", "test");

    private TestKit kit;
    private MetaService meta;
    private Hook hook;

    @BeforeEach
    void createKit() {
        kit = TestKit.create();
        kit.register("stripe", StripeService::new);
        meta = kit.meta();
        hook = kit.hook();
    }

    @AfterEach
    void closeKit() throws Exception {
        kit.close();
    }

    private void setConfig(String json) {
        kit.globs().set(StripeService.CONFIG, json, null, TEST);
    }

    /** Applies the stored config (set stores, refresh applies) and returns the background instance. */
    private StripeService started() {
        assertTrue(meta.refresh("stripe"));
        return (StripeService) meta.getService("stripe", hook);
    }

    private static boolean daemonAlive() {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(THREAD) && t.isAlive());
    }

    @Test
    void disabledByDefaultStaysNotStartedAndWritesTheDefaults() {
        StripeService service = started();
        assertEquals(ServiceState.NOT_STARTED, service.getState());
        assertNull(service.getApp());
        Object stored = kit.globs().get(StripeService.CONFIG).orElseThrow().value();
        assertEquals(StripeService.DEFAULTS, stored);
    }

    @Test
    void enabledWithoutKeyFailsWithTheMessage() {
        setConfig("{\"enabled\": true}");
        StripeService service = started();
        assertEquals(ServiceState.FAILED, service.getState());
        assertTrue(service.getLastError().endsWith("key is required!"), service.getLastError());
        assertFalse(daemonAlive());
    }

    @Test
    void enabledWithKeyRunsAStripeClientAndTheDaemon() {
        setConfig("{\"enabled\": true, \"key\": \"sk_test_x\"}");
        StripeService service = started();
        assertEquals(ServiceState.RUNNING, service.getState());
        assertInstanceOf(StripeClient.class, service.getApp());
        assertEquals(java.util.List.of(StripeService.DAEMON), service.getDaemons());
        assertTrue(daemonAlive());
    }

    @Test
    void automationRequestsAreHandledByTheDaemon() {
        setConfig("{\"enabled\": true, \"key\": \"sk_test_x\"}");
        StripeService service = started();
        assertTrue(service.runPayment());
        assertTrue(service.runAddUser());
        assertTrue(service.runRemoveUser());
        await("the daemon to handle three requests").atMost(Duration.ofSeconds(5))
                .until(() -> service.payments() == 1 && service.usersAdded() == 1 && service.usersRemoved() == 1);
    }

    @Test
    void automationRequestsAreRefusedWhenNotRunning() {
        StripeService service = started();
        assertFalse(service.runPayment());
        assertEquals(0, service.payments());
    }

    @Test
    void resetStopsTheDaemon() {
        setConfig("{\"enabled\": true, \"key\": \"sk_test_x\"}");
        StripeService service = started();
        meta.reset(service, hook, false);
        await("the " + THREAD + " thread to end").atMost(Duration.ofSeconds(5)).until(() -> !daemonAlive());
        assertEquals(ServiceState.NOT_STARTED, service.getState());
        assertNull(service.getApp());
    }

    @Test
    void refreshWithANewKeyBuildsANewClient() {
        setConfig("{\"enabled\": true, \"key\": \"sk_test_old\"}");
        StripeClient before = (StripeClient) started().getApp();
        setConfig("{\"enabled\": true, \"key\": \"sk_test_new\"}");
        assertTrue(meta.refresh("stripe"));
        CommonService<?> service = meta.getService("stripe", hook);
        await("stripe to run again").atMost(Duration.ofSeconds(5)).until(service::getState, s -> s == ServiceState.RUNNING);
        assertNotNull(service.getApp());
        assertNotSame(before, service.getApp());
        assertEquals("sk_test_new", service.getConfig().get("key"));
    }

    @Test
    void storedConfigGetsNewDefaultKeysAdded() {
        setConfig("{\"enabled\": false, \"key\": \"sk_test_x\"}");
        started();
        @SuppressWarnings("unchecked")
        Map<String, Object> stored = (Map<String, Object>) kit.globs().get(StripeService.CONFIG).orElseThrow().value();
        assertEquals("sk_test_x", stored.get("key"));
        assertEquals(2, ((Number) stored.get("max_network_retries")).intValue());
    }
}
