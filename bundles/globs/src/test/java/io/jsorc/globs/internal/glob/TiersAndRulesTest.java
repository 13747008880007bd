package io.jsorc.globs.internal.glob;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jsorc.api.config.GlobException;
import io.jsorc.api.config.GlobException.Reason;
import io.jsorc.api.config.Origin;
import io.jsorc.api.config.StoredGlob;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Several tiers at once, the memory tier on its own, limits and rules at their boundaries. */
class TiersAndRulesTest {

    static final Origin ME = new Origin("alice", "console", "n1");
    final GlobStoreImpl store = new GlobStoreImpl();

    @AfterEach
    void stop() {
        store.close();
    }

    static StoredGlob glob(String name, String json, long revision) {
        return new StoredGlob(name, json, revision, Instant.now(), ME);
    }

    @Test
    void theMemoryTierIsACompareAndSetMapThatNobodyElseWrites() throws Exception {
        MemoryTier memory = new MemoryTier();
        assertEquals("memory", memory.name());
        assertEquals(Integer.MIN_VALUE, memory.order());
        GlobTierContract.assertCompareAndSetContract(memory);
        memory.put(glob("H", "1", 3));
        assertEquals(List.of("H"), memory.list());
        memory.clear();
        assertEquals(List.of(), memory.list());
        try (AutoCloseable handle = memory.subscribe(change -> { })) {
            assertTrue(handle != null);
        }
    }

    @Test
    void aWriteReachesTheTruthAndIsCopiedDownToEveryLowerTier() {
        FlakyTier truth = new FlakyTier(100);
        FlakyTier lower = new FlakyTier(50);
        store.addTier(truth);
        store.addTier(lower); // added after the truth: still ordered below it
        store.set("G", "{\"a\":1}", null, ME);
        assertEquals("{\"a\":1}", truth.data.get("G").orElseThrow().json());
        assertEquals("{\"a\":1}", lower.data.get("G").orElseThrow().json());
        store.set("G", "{\"a\":2}", null, ME);
        assertEquals(2, lower.data.get("G").orElseThrow().revision());
        assertEquals(2, store.delete("G", null, ME));
        assertTrue(lower.data.get("G").isEmpty(), "a delete reaches the lower tiers");
    }

    @Test
    void aLowerTierThatRefusesOrFailsIsEvictedNotTrusted() {
        FlakyTier truth = new FlakyTier(100);
        boolean[] mode = {false, false}; // refuse, fail
        FlakyTier lower = new FlakyTier(50) {
            @Override
            public boolean compareAndSet(String name, long expectedRevision, StoredGlob glob) throws IOException {
                if (mode[1]) {
                    throw new IOException("lower tier down");
                }
                return !mode[0] && super.compareAndSet(name, expectedRevision, glob);
            }
        };
        store.addTier(truth);
        store.addTier(lower);
        store.set("G", "1", null, ME);
        mode[0] = true;
        store.set("G", "2", null, ME);
        assertTrue(lower.data.get("G").isEmpty(), "a lower tier that refused is evicted");
        mode[0] = false;
        store.set("G", "3", null, ME);
        assertEquals("3", lower.data.get("G").orElseThrow().json(), "filled again on the next write");
        mode[1] = true;
        store.set("G", "4", null, ME);
        assertTrue(lower.data.get("G").isEmpty(), "a lower tier that failed is evicted");
        assertEquals("4", truth.data.get("G").orElseThrow().json());
        assertEquals("4", store.get("G").orElseThrow().json());
    }

    @Test
    void removingATierMakesTheNextOneTheTruthAndStopsItsSubscription() {
        FlakyTier a = new FlakyTier(100);
        FlakyTier b = new FlakyTier(200);
        store.addTier(a);
        store.addTier(b);
        store.set("G", "1", null, ME);
        assertEquals(1, b.subscribers.size());
        store.removeTier(b);
        assertEquals(0, b.subscribers.size());
        assertEquals("1", store.get("G").orElseThrow().json(), "read through the remaining tier");
        store.set("G", "2", null, ME);
        assertEquals("2", a.data.get("G").orElseThrow().json());
        store.close();
        assertEquals(0, a.subscribers.size(), "closing the store ends every subscription");
    }

    @Test
    void everyEntryChecksTheName() {
        for (Runnable call : List.<Runnable>of(() -> store.get("bad name"), () -> store.delete("bad name", null, ME),
                () -> store.setValue("bad name", 1, null, ME), () -> store.serviceGlob("bad name", Map.of(), ME))) {
            assertEquals(Reason.INVALID_NAME, assertThrows(GlobException.class, call::run).reason());
        }
        assertFalse(store.exists("bad name"));
    }

    @Test
    void serviceGlobRetriesAfterAConcurrentWrite() {
        FlakyTier truth = new FlakyTier(100) {
            int refusals = 1;

            @Override
            public boolean compareAndSet(String name, long expectedRevision, StoredGlob glob) throws IOException {
                if (refusals-- > 0) {
                    return false; // someone wrote meanwhile
                }
                return super.compareAndSet(name, expectedRevision, glob);
            }
        };
        store.addTier(truth);
        store.set("S_CONFIG", "{\"a\":1}", null, ME);
        Map<String, Object> defaults = new LinkedHashMap<>();
        defaults.put("a", 0);
        defaults.put("b", 2);
        assertEquals(Map.of("a", 1, "b", 2), store.serviceGlob("S_CONFIG", defaults, ME));
        assertEquals(2, store.get("S_CONFIG").orElseThrow().revision());
    }

    @Test
    void serviceGlobOfANonObjectIsRefused() {
        store.set("PLAIN", "[1]", null, ME);
        assertEquals(Reason.INVALID_VALUE,
                assertThrows(GlobException.class, () -> store.serviceGlob("PLAIN", Map.of(), ME)).reason());
    }

    @Test
    void toJsonAndParseAreTheStoresOwnJson() {
        assertEquals("{\"a\":[1,1.0]}", store.toJson(Map.of("a", List.of(1, new java.math.BigDecimal("1.0")))));
        assertEquals(Map.of("a", 1), store.parse("{\"a\":1}"));
        assertEquals(Reason.INVALID_VALUE, assertThrows(GlobException.class, () -> store.parse("{")).reason());
        assertEquals(Reason.INVALID_VALUE,
                assertThrows(GlobException.class, () -> store.toJson(new Object())).reason());
    }

    @Test
    void limitsHoldAtTheirExactBoundaries() {
        Limits limits = new Limits(10, 20);
        limits.check("A", "x".repeat(10));
        assertThrows(GlobException.class, () -> limits.check("A", "x".repeat(11)));
        limits.check("A_MANIFEST", "x".repeat(20));
        assertThrows(GlobException.class, () -> limits.check("A_MANIFEST", "x".repeat(21)));
        limits.check("A", "é".repeat(5)); // 10 bytes
        assertThrows(GlobException.class, () -> limits.check("A", "é".repeat(6)));
        new Limits(1, 1);
        assertThrows(IllegalArgumentException.class, () -> new Limits(1, 0));
        assertTrue(message(new Limits(2048, 5)).contains("(2 KiB)"), message(new Limits(2048, 5)));
        assertTrue(message(new Limits(3 * Limits.MIB, 5)).contains("(3 MiB)"));
        assertTrue(message(new Limits(1000, 5)).contains("(1000 bytes)"));
    }

    private static String message(Limits limits) {
        return assertThrows(GlobException.class, () -> limits.check("A",
                "x".repeat((int) limits.valueBytes() + 1))).getMessage();
    }

    /** Review finding 10: new limits apply without restarting the store. */
    @Test
    void newLimitsApplyAtOnce() {
        store.set("A", "\"" + "x".repeat(200) + "\"", null, ME);
        store.modified(config(100, 100));
        assertEquals(Reason.TOO_LARGE, assertThrows(GlobException.class,
                () -> store.set("A", "\"" + "x".repeat(200) + "\"", null, ME)).reason());
        store.modified(config(1000, 100));
        store.set("A", "\"" + "x".repeat(200) + "\"", null, ME);
    }

    /** Review 2, finding 6: limits that are not positive are refused; the store keeps what it had and starts. */
    @Test
    void limitsThatAreNotPositiveAreRefusedAndTheOldOnesKept() {
        store.modified(config(100, 100));
        store.modified(config(0, 100));
        store.modified(config(100, -1));
        assertEquals(Reason.TOO_LARGE, assertThrows(GlobException.class,
                () -> store.set("A", "\"" + "x".repeat(200) + "\"", null, ME)).reason(), "100 bytes still apply");
        assertEquals(Limits.DEFAULT, GlobStoreImpl.limitsFrom(config(0, 0), Limits.DEFAULT), "the DS constructor");
        assertEquals(new Limits(5, 6), GlobStoreImpl.limitsFrom(config(5, 6), Limits.DEFAULT));
    }

    static GlobStoreImpl.Config config(long value, long manifest) {
        return new GlobStoreImpl.Config() {
            @Override
            public Class<? extends java.lang.annotation.Annotation> annotationType() {
                return GlobStoreImpl.Config.class;
            }

            @Override
            public long max_value_bytes() {
                return value;
            }

            @Override
            public long max_manifest_bytes() {
                return manifest;
            }
        };
    }

    /** Review finding 11: a mistyped secret is never quoted back in a message (nor logged with it). */
    @Test
    void messagesNeverQuoteTheValue() {
        GlobException bare = assertThrows(GlobException.class,
                () -> store.set("A_CONFIG", "{\"key\": sk_live_51Habcdef}", null, ME));
        assertFalse(bare.getMessage().contains("sk_live"), bare.getMessage());
        java.io.StringWriter trace = new java.io.StringWriter();
        bare.printStackTrace(new java.io.PrintWriter(trace));
        assertFalse(trace.toString().contains("sk_live"), "the whole chain, as a stack trace shows it:\n" + trace);
        assertTrue(bare.getMessage().contains("'(17 characters)'"), bare.getMessage());
        assertTrue(bare.getMessage().endsWith("(line 1, column 26)"), bare.getMessage());
        GlobException string = assertThrows(GlobException.class,
                () -> store.set("A_CONFIG", "\"sk_live_51Habcdef\"", null, ME));
        assertEquals("Value of A_CONFIG must be a JSON object, not a string", string.getMessage());
        assertTrue(assertThrows(GlobException.class, () -> store.set("A_CONFIG", "[1]", null, ME)).getMessage()
                .endsWith("not an array"));
        assertTrue(assertThrows(GlobException.class, () -> store.set("A_CONFIG", "1", null, ME)).getMessage()
                .endsWith("not a number"));
        assertTrue(assertThrows(GlobException.class, () -> store.set("A_CONFIG", "true", null, ME)).getMessage()
                .endsWith("not a boolean"));
        assertTrue(assertThrows(GlobException.class, () -> store.set("A_CONFIG", "null", null, ME)).getMessage()
                .endsWith("not null"));
    }

    @Test
    void aTextFarOverTheLimitIsRefusedBeforeItIsParsed() {
        GlobStoreImpl small = new GlobStoreImpl(new Limits(10, 10));
        try {
            GlobException e = assertThrows(GlobException.class,
                    () -> small.set("A", " ".repeat(41) + "1", null, ME));
            assertEquals(Reason.TOO_LARGE, e.reason());
            assertTrue(e.getMessage().contains("42 characters of JSON text"), e.getMessage());
            small.set("A", " ".repeat(38) + "1", null, ME); // 39 characters: parsed, 1 byte canonical
        } finally {
            small.close();
        }
    }

    @Test
    void rulesAbbreviateAndNameStaleRevisions() {
        assertEquals("Stale write of G: expected absent but it is revision 1; read it again and retry",
                GlobRules.stale("G", 0L, 1).getMessage());
        assertEquals("Stale write of G: expected revision 1 but it is absent; read it again and retry",
                GlobRules.stale("G", 1L, 0).getMessage());
        assertEquals("Stale write of G: expected revision 1 but it is changed meanwhile; read it again and retry",
                GlobRules.stale("G", 1L, -1).getMessage());
        assertTrue(GlobRules.mustBeObject("X_CONFIG") && GlobRules.mustBeObject("X_MANIFEST"));
        assertFalse(GlobRules.mustBeObject("X_CONFIGS"));
    }

    @Test
    void defaultsMergeReportsAnAdditionAnywhereInTheTree() {
        Map<String, Object> stored = new LinkedHashMap<>();
        stored.put("a", new LinkedHashMap<>(Map.of("x", 1)));
        stored.put("b", 1);
        Map<String, Object> defaults = new LinkedHashMap<>();
        defaults.put("a", Map.of("x", 2, "y", 3));
        defaults.put("b", 2);
        assertTrue(DefaultsMerge.addMissing(stored, defaults), "added in a nested object, then nothing at b");
        assertEquals(Map.of("x", 1, "y", 3), stored.get("a"));
        assertFalse(DefaultsMerge.addMissing(stored, defaults));
    }

    @Test
    void eventThreadsAreDaemonsAndEventAdminIsOptional() throws Exception {
        List<String> seen = new ArrayList<>();
        GlobEvents events = new GlobEvents(() -> List.of(e -> seen.add(e.name())), () -> null);
        events.publish(new io.jsorc.api.event.GlobEvent("G", 0, 1, ME, Instant.now()));
        List<Thread> threads = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("jsorc/glob-events") && t.isAlive()).toList();
        assertFalse(threads.isEmpty(), "the event threads run");
        threads.forEach(t -> assertTrue(t.isDaemon(), t + " is a daemon"));
        events.close();
        assertEquals(List.of("G"), seen, "close waits for what was published");
        store.setEventAdmin(null);
        store.unsetEventAdmin(null);
    }
}
