package io.jsorc.globs.internal.glob;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jsorc.api.config.GlobException;
import io.jsorc.api.config.GlobException.Reason;
import io.jsorc.api.config.GlobStore;
import io.jsorc.api.config.Origin;
import io.jsorc.api.config.StoredGlob;
import io.jsorc.api.event.GlobEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GlobStoreImplTest {

    static final Origin ME = new Origin("alice", "console", "n1");
    final GlobStoreImpl store = new GlobStoreImpl();
    final FlakyTier durable = new FlakyTier(100);

    @AfterEach
    void stop() {
        store.close();
    }

    @Test
    void namesMustMatchTheNamePattern() {
        for (String bad : new String[] {"", "a-b", "a b", "é", "x".repeat(101), null}) {
            GlobException e = assertThrows(GlobException.class, () -> store.set(bad, "1", null, ME));
            assertEquals(Reason.INVALID_NAME, e.reason());
        }
        assertEquals(1, store.set("x".repeat(100), "1", null, ME));
    }

    @Test
    void configAndManifestGlobsMustBeObjects() {
        assertEquals(Reason.INVALID_VALUE,
                assertThrows(GlobException.class, () -> store.set("A_CONFIG", "[1]", null, ME)).reason());
        assertEquals(Reason.INVALID_VALUE,
                assertThrows(GlobException.class, () -> store.set("A_MANIFEST", "\"x\"", null, ME)).reason());
        store.set("A_CONFIG", "{}", null, ME);
        store.set("OTHER", "[1]", null, ME);
        assertEquals(List.of("A_CONFIG", "OTHER"), store.list());
    }

    @Test
    void aBareWordIsRejectedAndAQuotedWordIsAString() {
        GlobException e = assertThrows(GlobException.class, () -> store.set("G", "foo", null, ME));
        assertEquals(Reason.INVALID_VALUE, e.reason());
        assertTrue(e.getMessage().startsWith("Value of G is not valid JSON"), e.getMessage());
        store.set("G", "\"foo\"", null, ME);
        assertEquals("foo", store.get("G").orElseThrow().value());
    }

    @Test
    void valuesAreStoredAsCanonicalText() {
        store.set("G", " { \"b\" : 1.0 , \"a\" : 1 } ", null, ME);
        assertEquals("{\"b\":1.0,\"a\":1}", store.get("G").orElseThrow().json());
    }

    @Test
    void revisionsStartAtOneAndGrowByOnePerWrite() {
        assertEquals(1, store.set("G", "1", null, ME));
        assertEquals(2, store.set("G", "2", null, ME));
        assertEquals(3, store.setValue("G", List.of(3), 2L, ME));
        assertEquals(3, store.get("G").orElseThrow().revision());
        assertEquals(ME, store.get("G").orElseThrow().stored().origin());
    }

    @Test
    void aStaleExpectedRevisionIsRefusedAndChangesNothing() {
        store.set("G", "1", GlobStore.ABSENT, ME);
        GlobException e = assertThrows(GlobException.class, () -> store.set("G", "2", GlobStore.ABSENT, ME));
        assertEquals(Reason.STALE_REVISION, e.reason());
        assertEquals("Stale write of G: expected absent but it is revision 1; read it again and retry",
                e.getMessage());
        assertThrows(GlobException.class, () -> store.set("G", "2", 5L, ME));
        assertThrows(GlobException.class, () -> store.delete("G", 7L, ME));
        assertEquals("1", store.get("G").orElseThrow().json());
    }

    @Test
    void theHighestTierIsTheTruthAndWritesReachItBeforeReturning() {
        store.addTier(durable);
        store.set("G", "{\"a\":1}", null, ME);
        assertEquals("{\"a\":1}", durable.data.get("G").orElseThrow().json());
        assertEquals(1, store.delete("G", 1L, ME));
        assertTrue(durable.data.get("G").isEmpty());
        assertEquals(0, store.delete("G", null, ME));
    }

    @Test
    void aFailingTruthTierChangesNothingAnywhere() {
        store.addTier(durable);
        store.set("G", "1", null, ME);
        durable.failWrites = true;
        GlobException e = assertThrows(GlobException.class, () -> store.set("G", "2", null, ME));
        assertEquals(Reason.STORAGE, e.reason());
        assertEquals("1", store.get("G").orElseThrow().json());
        assertEquals(1, store.get("G").orElseThrow().revision());
        assertEquals(Reason.STORAGE, assertThrows(GlobException.class, () -> store.delete("G", null, ME)).reason());
        assertTrue(store.exists("G"));
        assertEquals(Reason.STORAGE, assertThrows(GlobException.class, () -> store.set("NEW", "2", null, ME)).reason());
        assertFalse(store.exists("NEW"));
    }

    @Test
    void serviceGlobWritesDefaultsOnceWhenAbsent() {
        List<GlobEvent> events = Collections.synchronizedList(new ArrayList<>());
        store.addListener(events::add);
        Map<String, Object> defaults = Map.of("enabled", false, "key", "k");
        Map<String, Object> got = store.serviceGlob("S_CONFIG", defaults, ME);
        assertEquals(defaults, got);
        got.put("mutated", true); // a fresh copy
        Map<String, Object> again = store.serviceGlob("S_CONFIG", defaults, ME);
        assertFalse(again.containsKey("mutated"));
        assertNotSame(got, again);
        assertEquals(1, store.get("S_CONFIG").orElseThrow().revision());
        assertEquals("default", store.get("S_CONFIG").orElseThrow().stored().origin().source());
        await().untilAsserted(() -> assertEquals(1, events.size()));
    }

    @Test
    void serviceGlobKeepsStoredValuesAndAddsNewDefaultKeysRecursivelyButNotIntoLists() {
        store.set("S_CONFIG", "{\"enabled\":true,\"nested\":{\"x\":1},\"list\":[{\"a\":1}]}", null, ME);
        Map<String, Object> defaults = new LinkedHashMap<>();
        defaults.put("enabled", false);
        defaults.put("nested", Map.of("x", 2, "y", 3));
        defaults.put("list", List.of(Map.of("a", 9, "b", 9)));
        defaults.put("added", null);
        store.serviceGlob("S_CONFIG", defaults, ME);
        assertEquals("{\"enabled\":true,\"nested\":{\"x\":1,\"y\":3},\"list\":[{\"a\":1}],\"added\":null}",
                store.get("S_CONFIG").orElseThrow().json());
        assertEquals(2, store.get("S_CONFIG").orElseThrow().revision());
    }

    @Test
    void serviceGlobDoesNotWriteWhenNothingWasAdded() {
        store.set("S_CONFIG", "{\"enabled\":true,\"extra\":1}", null, ME);
        Map<String, Object> got = store.serviceGlob("S_CONFIG", Map.of("enabled", false), ME);
        assertEquals(Map.of("enabled", true, "extra", 1), got);
        assertEquals(1, store.get("S_CONFIG").orElseThrow().revision());
    }

    @Test
    void eventsArriveInOrderPerNameWithRevisionsAndOrigin() {
        List<GlobEvent> events = Collections.synchronizedList(new ArrayList<>());
        store.addListener(e -> {
            throw new IllegalStateException("a broken listener is ignored");
        });
        store.addListener(events::add);
        for (int i = 0; i < 50; i++) {
            store.set("G", Integer.toString(i), null, ME);
        }
        store.delete("G", null, ME);
        await().untilAsserted(() -> assertEquals(51, events.size()));
        for (int i = 0; i < 50; i++) {
            assertEquals(i, events.get(i).oldRevision());
            assertEquals(i + 1, events.get(i).newRevision());
            assertEquals(ME, events.get(i).origin());
        }
        assertTrue(events.get(50).deleted());
        assertEquals(50, events.get(50).oldRevision());
    }

    @Test
    void anEditBehindTheBackBecomesTheNextRevisionWithItsOrigin() {
        store.addTier(durable);
        store.set("A_CONFIG", "{\"a\":1}", null, ME);
        Origin file = new Origin("operator", "file", "n1");
        durable.editBehindTheBack(new StoredGlob("A_CONFIG", "{ \"a\": 2 }", 1, Instant.now(), file));
        assertEquals("{\"a\":2}", store.get("A_CONFIG").orElseThrow().json());
        assertEquals(2, store.get("A_CONFIG").orElseThrow().revision());
        assertEquals(file, durable.data.get("A_CONFIG").orElseThrow().origin());
    }

    @Test
    void anInvalidEditBehindTheBackIsRefusedAndThePreviousValueRestored() {
        store.addTier(durable);
        store.set("A_CONFIG", "{\"a\":1}", null, ME);
        Origin file = new Origin("operator", "file", "n1");
        durable.editBehindTheBack(new StoredGlob("A_CONFIG", "[1]", 1, Instant.now(), file));
        assertEquals("{\"a\":1}", durable.data.get("A_CONFIG").orElseThrow().json());
        durable.editBehindTheBack(new StoredGlob("A_CONFIG", "{oops", 1, Instant.now(), file));
        assertEquals("{\"a\":1}", store.get("A_CONFIG").orElseThrow().json());
        assertEquals(1, store.get("A_CONFIG").orElseThrow().revision());
    }

    @Test
    void aDeletionBehindTheBackDeletesTheGlob() {
        List<GlobEvent> events = Collections.synchronizedList(new ArrayList<>());
        store.addListener(events::add);
        store.addTier(durable);
        store.set("G", "1", null, ME);
        durable.deleteBehindTheBack("G");
        assertFalse(store.exists("G"));
        await().untilAsserted(() -> assertEquals(2, events.size()));
        assertTrue(events.get(1).deleted());
    }

    /** Defect 3: a refused edit of a glob that is not cached (evicted) puts its last good copy back. */
    @Test
    void aRefusedEditOfAnUncachedGlobRestoresItsLastGoodCopyAndNeverDeletesIt() {
        FlakyTier lower = new FlakyTier(50);
        store.addTier(lower);
        store.addTier(durable);
        store.set("K_CONFIG", "{\"k\":1}", null, ME);
        // a change seen in a lower tier only evicts the cached copy
        lower.editBehindTheBack(new StoredGlob("K_CONFIG", "{\"k\":0}", 1, Instant.now(), ME));
        Origin file = new Origin("operator", "file", "n1");
        durable.editBehindTheBack(new StoredGlob("K_CONFIG", "[\"broken\"]", 1, Instant.now(), file));
        assertTrue(store.exists("K_CONFIG"), "never deleted");
        assertEquals("{\"k\":1}", durable.data.get("K_CONFIG").orElseThrow().json(), "the last good copy is back");
        assertEquals(Map.of("k", 1), store.serviceGlob("K_CONFIG", Map.of("k", 42), ME),
                "so serviceGlob never writes defaults over the operator's config");
    }

    /** Defect 3: an invalid value with no good copy ever known is left alone, and reads of it fail clearly. */
    @Test
    void anInvalidValueWithoutAnyGoodCopyIsLeftAsItIsAndReadsFailClearly() {
        Origin file = new Origin("operator", "file", "n1");
        durable.data.put(new StoredGlob("B_CONFIG", "[1]", 3, Instant.now(), file));
        store.addTier(durable);
        GlobException e = assertThrows(GlobException.class, () -> store.get("B_CONFIG"));
        assertEquals(Reason.INVALID_VALUE, e.reason());
        assertEquals("Stored value of B_CONFIG (revision 3, from operator@file/n1) is invalid: Value of B_CONFIG "
                + "must be a JSON object, not an array. Write a valid value (jsorc:config-set) to replace it",
                e.getMessage());
        assertTrue(store.exists("B_CONFIG"));
        assertTrue(store.list().contains("B_CONFIG"));
        assertThrows(GlobException.class, () -> store.serviceGlob("B_CONFIG", Map.of("enabled", false), ME));
        durable.editBehindTheBack(new StoredGlob("B_CONFIG", "[2]", 3, Instant.now(), file));
        assertEquals("[2]", durable.data.get("B_CONFIG").orElseThrow().json(), "refused, but not deleted");
        assertEquals(4, store.set("B_CONFIG", "{\"fixed\":true}", 3L, ME));
        assertEquals(Map.of("fixed", true), store.get("B_CONFIG").orElseThrow().value());
    }

    /** Defect 4: a value adopted by a read (before the tier announced it) is validated too. */
    @Test
    void anInvalidValueAReadFindsBeforeItsEditIsAnnouncedIsNeverServed() {
        FlakyTier lower = new FlakyTier(50);
        store.addTier(lower);
        store.addTier(durable);
        store.set("R_CONFIG", "{\"r\":1}", null, ME);
        durable.data.put(new StoredGlob("R_CONFIG", "\"not an object\"", 1, Instant.now(), ME)); // not announced
        lower.editBehindTheBack(new StoredGlob("R_CONFIG", "{}", 1, Instant.now(), ME)); // evicts the cache
        assertEquals(Map.of("r", 1), store.get("R_CONFIG").orElseThrow().value());
        assertEquals("{\"r\":1}", durable.data.get("R_CONFIG").orElseThrow().json(), "the truth is repaired");
    }

    /** Defect 13: values are limited in size, manifests separately; the error names the limit. */
    @Test
    void valuesLargerThanTheLimitAreRefusedNamingTheLimit() {
        GlobStoreImpl small = new GlobStoreImpl(new Limits(100, 200));
        try {
            String big = "{\"k\":\"" + "x".repeat(120) + "\"}";
            GlobException e = assertThrows(GlobException.class, () -> small.set("A_CONFIG", big, null, ME));
            assertEquals(Reason.TOO_LARGE, e.reason());
            assertEquals("Value of A_CONFIG is 128 bytes, over the limit of 100 bytes (100 bytes) for globs; see "
                    + "max.value.bytes in etc/jsorc.globs.cfg", e.getMessage());
            assertFalse(small.exists("A_CONFIG"));
            assertEquals(1, small.set("A_MANIFEST", big, null, ME), "manifests have their own limit");
            String bigger = "{\"k\":\"" + "é".repeat(120) + "\"}";
            assertTrue(assertThrows(GlobException.class, () -> small.set("A_MANIFEST", bigger, null, ME)).getMessage()
                    .contains("248 bytes, over the limit of 200 bytes (200 bytes) for manifests"), "UTF-8 bytes count");
            small.addTier(durable);
            small.set("B_CONFIG", "{}", null, ME);
            durable.editBehindTheBack(new StoredGlob("B_CONFIG", big, 1, Instant.now(), ME));
            assertEquals("{}", durable.data.get("B_CONFIG").orElseThrow().json(), "an edit over the limit is refused");
        } finally {
            small.close();
        }
        assertEquals(Limits.MIB, Limits.DEFAULT.of("X_CONFIG"));
        assertEquals(8 * Limits.MIB, Limits.DEFAULT.of("X_MANIFEST"));
        assertThrows(IllegalArgumentException.class, () -> new Limits(0, 1));
    }

    @Test
    void deactivateStopsTheEventThread() {
        assertFalse(store.eventsStopped());
        store.close();
        assertTrue(store.eventsStopped());
    }
}
