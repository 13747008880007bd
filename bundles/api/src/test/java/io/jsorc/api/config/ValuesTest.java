package io.jsorc.api.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jsorc.api.event.GlobEvent;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The value types of the config and event packages. */
class ValuesTest {

    static final Origin ME = new Origin("alice", "console", "n1");

    @Test
    void aConfigResultCarriesNameMessageAndRevision() {
        ConfigResult result = ConfigResult.of("A_CONFIG", "Config of 'A_CONFIG' to '{}' set!", 3);
        assertEquals("A_CONFIG", result.name());
        assertEquals("Config of 'A_CONFIG' to '{}' set!", result.message());
        assertEquals(3, result.revision());
        assertEquals(result.message(), result.toString());
        assertEquals(result, ConfigResult.of("A_CONFIG", "Config of 'A_CONFIG' to '{}' set!", 3));
        assertEquals(result.hashCode(), ConfigResult.of("A_CONFIG", "Config of 'A_CONFIG' to '{}' set!", 3).hashCode());
        assertNotEquals(result, ConfigResult.of("B_CONFIG", result.message(), 3));
        assertNotEquals(result, ConfigResult.of("A_CONFIG", "other", 3));
        assertNotEquals(result, ConfigResult.of("A_CONFIG", result.message(), 4));
        assertNotEquals(result, "not a result");
        assertThrows(NullPointerException.class, () -> ConfigResult.of(null, "m", 1));
        assertThrows(NullPointerException.class, () -> ConfigResult.of("A", null, 1));
    }

    @Test
    void anOriginNamesActorSourceAndNodeAndTheLocalNodeIsKarafsName() {
        assertEquals("alice@console/n1", ME.toString());
        assertThrows(NullPointerException.class, () -> new Origin(null, "s", "n"));
        assertThrows(NullPointerException.class, () -> new Origin("a", null, "n"));
        assertThrows(NullPointerException.class, () -> new Origin("a", "s", null));
        String previous = System.getProperty("karaf.name");
        try {
            System.setProperty("karaf.name", "node-7");
            assertEquals("node-7", Origin.localNode());
            assertEquals(new Origin("bob", "http", "node-7"), Origin.local("bob", "http"));
            System.setProperty("karaf.name", " ");
            assertFalse(Origin.localNode().isBlank(), "a blank karaf.name falls back to the host name");
            System.clearProperty("karaf.name");
            assertFalse(Origin.localNode().isBlank());
        } finally {
            if (previous == null) {
                System.clearProperty("karaf.name");
            } else {
                System.setProperty("karaf.name", previous);
            }
        }
    }

    @Test
    void aStoredGlobHasARevisionOfAtLeastOne() {
        Instant now = Instant.now();
        assertThrows(IllegalArgumentException.class, () -> new StoredGlob("G", "1", 0, now, ME));
        StoredGlob first = new StoredGlob("G", "1", 1, now, ME);
        assertEquals(1, first.revision());
        assertThrows(NullPointerException.class, () -> new StoredGlob(null, "1", 1, now, ME));
        assertThrows(NullPointerException.class, () -> new StoredGlob("G", null, 1, now, ME));
        assertThrows(NullPointerException.class, () -> new StoredGlob("G", "1", 1, null, ME));
        assertThrows(NullPointerException.class, () -> new StoredGlob("G", "1", 1, now, null));
        GlobValue value = new GlobValue(new StoredGlob("G", "{\"a\":1}", 4, now, ME), Map.of("a", 1));
        assertEquals("G", value.name());
        assertEquals("{\"a\":1}", value.json());
        assertEquals(4, value.revision());
    }

    @Test
    void aGlobEventIsADeletionWhenItsNewRevisionIsZero() {
        assertTrue(new GlobEvent("G", 3, 0, ME, Instant.now()).deleted());
        assertFalse(new GlobEvent("G", 0, 1, ME, Instant.now()).deleted());
    }

    @Test
    void aGlobExceptionKeepsItsReasonAndCause() {
        RuntimeException cause = new RuntimeException("disk");
        GlobException e = new GlobException(GlobException.Reason.STORAGE, "failed", cause);
        assertEquals(GlobException.Reason.STORAGE, e.reason());
        assertSame(cause, e.getCause());
        assertEquals("failed", e.getMessage());
        assertEquals(GlobException.Reason.TOO_LARGE, new GlobException(GlobException.Reason.TOO_LARGE, "big").reason());
    }
}
