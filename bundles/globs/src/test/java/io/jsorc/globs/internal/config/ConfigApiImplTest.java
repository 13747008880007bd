package io.jsorc.globs.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jsorc.api.config.ConfigResult;
import io.jsorc.api.config.GlobException;
import io.jsorc.api.config.GlobException.Reason;
import io.jsorc.api.config.Origin;
import io.jsorc.globs.internal.glob.GlobStoreImplTestAccess;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ConfigApiImplTest {

    static final Origin ME = new Origin("alice", "console", "n1");
    final GlobStoreImplTestAccess store = new GlobStoreImplTestAccess();
    final ConfigApiImpl api = withServices(store, "stripe", "redis");

    /** A config API that saw one registration per name, each declaring {@code <NAME>_CONFIG} by default. */
    static ConfigApiImpl withServices(GlobStoreImplTestAccess store, String... names) {
        ConfigApiImpl api = new ConfigApiImpl(store.store());
        long id = 1;
        for (String name : names) {
            api.addService(Map.of("service.id", id++, "jsorc.service.name", name));
        }
        return api;
    }

    @AfterEach
    void stop() {
        store.stop();
    }

    @Test
    void configUpdateSetsOneFieldOfTheNewestValueAndKeepsTheRest() {
        api.configSet("STRIPE_CONFIG", "{\"enabled\":false,\"key\":\"sk_1\",\"n\":1}", true, null, ME);
        ConfigResult result = api.configUpdate("STRIPE_CONFIG", "enabled", "true", true, null, ME);
        assertEquals(2, result.revision());
        assertEquals("Config of 'STRIPE_CONFIG' to '{\"enabled\":true,\"key\":\"********\",\"n\":1}' set!",
                result.message());
        api.configUpdate("STRIPE_CONFIG", "key", "\"********\"", true, null, ME);
        assertEquals("{\"enabled\":true,\"key\":\"sk_1\",\"n\":1}", api.configGet("STRIPE_CONFIG", true)
                .orElseThrow().json(), "the mask sent back keeps the secret");
        api.configUpdate("STRIPE_CONFIG", "n", "{\"deep\":[1,2]}", true, 3L, ME);
        assertEquals("{\"enabled\":true,\"key\":\"sk_1\",\"n\":{\"deep\":[1,2]}}",
                api.configGet("STRIPE_CONFIG", true).orElseThrow().json());
    }

    @Test
    void configUpdateRefusesWithTheOriginalsMessagesAndChangesNothing() {
        GlobException absent = assertThrows(GlobException.class,
                () -> api.configUpdate("STRIPE_CONFIG", "k", "1", true, null, ME));
        assertEquals("Config STRIPE_CONFIG is not a dictionary. Uses config_set to set the value for this config.",
                absent.getMessage());
        api.configSet("STRIPE_CONFIG", "{\"k\":1}", true, null, ME);
        GlobException missing = assertThrows(GlobException.class,
                () -> api.configUpdate("STRIPE_CONFIG", "nope", "1", true, null, ME));
        assertEquals("Field nope does not exist in config STRIPE_CONFIG", missing.getMessage());
        assertEquals(Reason.INVALID_VALUE, missing.reason());
        assertEquals(Reason.INVALID_VALUE, assertThrows(GlobException.class,
                () -> api.configUpdate("STRIPE_CONFIG", "k", "{not json", true, null, ME)).reason());
        assertEquals(Reason.STALE_REVISION, assertThrows(GlobException.class,
                () -> api.configUpdate("STRIPE_CONFIG", "k", "2", true, 7L, ME)).reason());
        assertEquals(Reason.NOT_RECOGNIZED, assertThrows(GlobException.class,
                () -> api.configUpdate("FOO", "k", "2", true, null, ME)).reason());
        api.configSet("LIST_GLOB", "[1]", false, null, ME);
        assertEquals(Reason.INVALID_VALUE, assertThrows(GlobException.class,
                () -> api.configUpdate("LIST_GLOB", "k", "2", false, null, ME)).reason());
        assertEquals("{\"k\":1}", api.configGet("STRIPE_CONFIG", true).orElseThrow().json());
        assertEquals(1, api.configGet("STRIPE_CONFIG", true).orElseThrow().revision());
    }

    @Test
    void anUnknownNameIsRefusedWithTheOriginalTextWhenChecked() {
        GlobException e = assertThrows(GlobException.class, () -> api.configGet("FOO", true));
        assertEquals(Reason.NOT_RECOGNIZED, e.reason());
        assertEquals("Config FOO not recognized, must be in ['META_CONFIG', 'REDIS_CONFIG', 'STRIPE_CONFIG']!",
                e.getMessage());
        assertThrows(GlobException.class, () -> api.configSet("FOO", "1", true, null, ME));
        assertThrows(GlobException.class, () -> api.configDelete("FOO", true, null, ME));
    }

    @Test
    void doCheckFalseAllowsAnyName() {
        assertEquals("Config of 'X_MANIFEST' to '{\"a\":1}' set!",
                api.configSet("X_MANIFEST", "{ \"a\" : 1 }", false, null, ME).message());
        assertEquals("{\"a\":1}", api.configGet("X_MANIFEST", false).orElseThrow().json());
        ConfigResult deleted = api.configDelete("X_MANIFEST", false, null, ME);
        assertEquals("X_MANIFEST Deleted.", deleted.message());
        assertEquals(1, deleted.revision(), "the revision deleted");
        assertTrue(api.configGet("X_MANIFEST", false).isEmpty());
        assertEquals(0, api.configDelete("X_MANIFEST", false, null, ME).revision(), "nothing was stored");
    }

    @Test
    void writesAnswerWithTheNewRevisionForTheNextCompareAndSet() {
        ConfigResult first = api.configSet("STRIPE_CONFIG", "{}", true, 0L, ME);
        assertEquals(1, first.revision());
        assertEquals("STRIPE_CONFIG", first.name());
        assertEquals(first.message(), first.toString());
        ConfigResult second = api.configSet("STRIPE_CONFIG", "{\"a\":1}", true, first.revision(), ME);
        assertEquals(2, second.revision());
        assertEquals(2, api.configGet("STRIPE_CONFIG", true).orElseThrow().revision());
        assertEquals(Reason.STALE_REVISION, assertThrows(GlobException.class,
                () -> api.configDelete("STRIPE_CONFIG", true, 1L, ME)).reason());
        assertEquals(2, api.configDelete("STRIPE_CONFIG", true, 2L, ME).revision());
        assertEquals(ConfigResult.of("A", "m", 1), ConfigResult.of("A", "m", 1));
        assertEquals(ConfigResult.of("A", "m", 1).hashCode(), ConfigResult.of("A", "m", 1).hashCode());
        assertFalse(ConfigResult.of("A", "m", 1).equals(ConfigResult.of("A", "m", 2)));
    }

    @Test
    void aLongValueIsNeverEchoedInFull() {
        String big = "{\"k\":\"" + "x".repeat(5000) + "\"}";
        String message = api.configSet("STRIPE_CONFIG", big, true, null, ME).message();
        assertTrue(message.length() < 400, message.length() + " characters");
        assertTrue(message.startsWith("Config of 'STRIPE_CONFIG' to '{\"k\":\"xxx"), message);
        assertTrue(message.endsWith("... (5008 characters)' set!"), message);
    }

    @Test
    void configSetStoresAndAnswersWithTheStoredText() {
        assertEquals("Config of 'STRIPE_CONFIG' to '{\"word\":\"sk\",\"n\":1.0}' set!",
                api.configSet("STRIPE_CONFIG", "{\"word\":\"sk\", \"n\":1.0}", true, null, ME).message());
        assertEquals("{\"word\":\"sk\",\"n\":1.0}", api.configGet("STRIPE_CONFIG", true).orElseThrow().json());
    }

    @Test
    void configSetWithAStaleRevisionIsRefused() {
        api.configSet("STRIPE_CONFIG", "{}", true, 0L, ME);
        assertEquals(Reason.STALE_REVISION,
                assertThrows(GlobException.class, () -> api.configSet("STRIPE_CONFIG", "{}", true, 0L, ME)).reason());
    }

    @Test
    void configListIsStoredNamesThatAreValid() {
        api.configSet("STRIPE_CONFIG", "{}", true, null, ME);
        api.configSet("OTHER", "1", false, null, ME);
        assertEquals(List.of("STRIPE_CONFIG"), api.configList());
    }

    @Test
    void configIndexIsTheSortedValidNamesWithMetaConfig() {
        assertEquals(List.of("META_CONFIG", "REDIS_CONFIG", "STRIPE_CONFIG"), api.configIndex());
    }

    @Test
    void validNamesFollowTheRegistrationsInTheServiceRegistry() {
        api.addService(Map.of("service.id", 9L, "jsorc.service.name", "pay", "jsorc.service.config", "PAYMENTS"));
        api.addService(Map.of("service.id", 10L, "jsorc.service.name", "blank", "jsorc.service.config", " "));
        api.addService(Map.of("service.id", 11L));
        assertEquals(List.of("BLANK_CONFIG", "META_CONFIG", "PAYMENTS", "REDIS_CONFIG", "STRIPE_CONFIG"),
                api.configIndex());
        api.removeService(Map.of("service.id", 9L));
        assertFalse(api.configIndex().contains("PAYMENTS"));
    }

    @Test
    void configExistsHasNoNameCheck() {
        api.configSet("OTHER", "1", false, null, ME);
        assertTrue(api.configExists("OTHER"));
        assertFalse(api.configExists("not a name"));
        assertFalse(api.configExists("STRIPE_CONFIG"));
    }

    @Test
    void pythonListReprOfNoNamesIsEmptyBrackets() {
        assertEquals("[]", ConfigApiImpl.pythonList(List.of()));
    }

    @Test
    void aSecretIsEchoedMaskedAndTheMaskSentBackKeepsIt() {
        ConfigResult set = api.configSet("STRIPE_CONFIG", "{\"enabled\":true,\"key\":\"sk_live_1\"}", true, null, ME);
        assertEquals("Config of 'STRIPE_CONFIG' to '{\"enabled\":true,\"key\":\"********\"}' set!", set.message());
        api.configSet("STRIPE_CONFIG", "{\"enabled\":false,\"key\":\"********\"}", true, null, ME);
        assertEquals("{\"enabled\":false,\"key\":\"sk_live_1\"}", api.configGet("STRIPE_CONFIG", true).orElseThrow().json(),
                "the stored secret kept, the rest edited");
        api.configSet("STRIPE_CONFIG", "{\"key\":\"sk_live_2\"}", true, null, ME);
        assertEquals("{\"key\":\"sk_live_2\"}", api.configGet("STRIPE_CONFIG", true).orElseThrow().json());
        GlobException refused = assertThrows(GlobException.class,
                () -> api.configSet("REDIS_CONFIG", "{\"password\":\"********\"}", true, null, ME));
        assertEquals(Reason.INVALID_VALUE, refused.reason());
        assertEquals("REDIS_CONFIG.password is ********, which stands for a stored secret, but none is stored there: "
                + "send the value itself", refused.getMessage());
        assertFalse(api.configExists("REDIS_CONFIG"), "nothing stored");
    }
}
