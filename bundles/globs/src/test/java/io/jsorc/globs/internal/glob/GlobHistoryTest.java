package io.jsorc.globs.internal.glob;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jsorc.api.config.Origin;
import io.jsorc.api.config.StoredGlob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kept revisions of a glob: bounded, newest first, in an owner-only file that a restart reads back. */
class GlobHistoryTest {

    static final Origin ME = new Origin("alice", "console", "n1");

    @TempDir
    Path dir;

    static StoredGlob rev(long r, String json) {
        return new StoredGlob("G_CONFIG", json, r, Instant.parse("2026-12-01T00:00:00Z").plusSeconds(r), ME);
    }

    @Test
    void keepsTheLastTwentyNewestFirstAndSurvivesARestart() throws Exception {
        GlobHistory history = new GlobHistory(dir);
        for (int r = 1; r <= 25; r++) {
            history.record(rev(r, "{\"n\":" + r + ",\"s\":\"a\\\\nb\\u00e9\"}"));
        }
        history.record(rev(25, "{\"n\":25,\"s\":\"a\\\\nb\\u00e9\"}")); // the same revision again: ignored
        List<StoredGlob> kept = history.of("G_CONFIG");
        assertEquals(20, kept.size());
        assertEquals(25, kept.get(0).revision());
        assertEquals(6, kept.get(19).revision());
        Path file = dir.resolve("G_CONFIG.history");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        List<StoredGlob> reread = new GlobHistory(dir).of("G_CONFIG");
        assertEquals(kept, reread, "a restart reads the same revisions back, values byte-identical");
        // a glob file restored with revision 23 while Karaf was down: its next revisions replace 23.. in the history
        GlobHistory after = new GlobHistory(dir);
        after.record(rev(24, "{\"restored\":true}"));
        assertEquals(List.of(24L, 23L, 22L), after.of("G_CONFIG").stream().limit(3).map(StoredGlob::revision).toList());
        assertEquals("{\"restored\":true}", after.of("G_CONFIG").get(0).json());
        assertEquals(19, after.of("G_CONFIG").size(), "24 and 25 of the old lineage gone, the new 24 kept");
    }

    @Test
    void anUnreadableFileCostsOnlyThatGlobsHistory() throws Exception {
        Files.writeString(dir.resolve("G_CONFIG.history"), "not json\n");
        GlobHistory history = new GlobHistory(dir);
        assertTrue(history.of("G_CONFIG").isEmpty());
        history.record(rev(1, "{}"));
        assertEquals(1, new GlobHistory(dir).of("G_CONFIG").size(), "written again from scratch");
    }

    @Test
    void aGlobCreatedAgainAfterADeleteAndARestartContinuesAfterItsHistory() {
        GlobStoreImpl store = new GlobStoreImpl();
        try {
            for (int i = 1; i <= 5; i++) {
                store.set("F_CONFIG", "{\"n\":" + i + "}", null, ME);
            }
            store.delete("F_CONFIG", null, ME);
        } finally {
            store.close();
        }
        // a restart: the deleted revision is forgotten, the history (here: the process-wide memory tier's store is
        // gone too) — simulated with a history that kept revisions 1..5 and a store that knows nothing else
        GlobHistory kept = new GlobHistory(dir);
        for (int r = 1; r <= 5; r++) {
            kept.record(new StoredGlob("F_CONFIG", "{\"n\":" + r + "}", r, Instant.now(), ME));
        }
        Tiers tiers = new Tiers();
        tiers.revisionFloor(kept::newest);
        assertEquals(5, tiers.createdAfter("F_CONFIG"), "a new F_CONFIG is revision 6, after its history");
        assertEquals(0, tiers.createdAfter("NEVER_CONFIG"));
        assertTrue(kept.of("NEVER_CONFIG").isEmpty());
    }

    @Test
    void withoutADirectoryItIsKeptInMemory() {
        GlobHistory history = new GlobHistory(null);
        history.record(rev(1, "{}"));
        history.record(rev(2, "{\"a\":1}"));
        assertEquals(List.of(2L, 1L), history.of("G_CONFIG").stream().map(StoredGlob::revision).toList());
        assertTrue(history.of("OTHER").isEmpty());
    }
}
