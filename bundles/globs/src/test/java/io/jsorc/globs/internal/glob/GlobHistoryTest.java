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
        history.record(rev(3, "{\"replayed\":true}")); // older than the newest kept: ignored
        List<StoredGlob> kept = history.of("G_CONFIG");
        assertEquals(20, kept.size());
        assertEquals(25, kept.get(0).revision());
        assertEquals(6, kept.get(19).revision());
        Path file = dir.resolve("G_CONFIG.history");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        List<StoredGlob> reread = new GlobHistory(dir).of("G_CONFIG");
        assertEquals(kept, reread, "a restart reads the same revisions back, values byte-identical");
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
    void withoutADirectoryItIsKeptInMemory() {
        GlobHistory history = new GlobHistory(null);
        history.record(rev(1, "{}"));
        history.record(rev(2, "{\"a\":1}"));
        assertEquals(List.of(2L, 1L), history.of("G_CONFIG").stream().map(StoredGlob::revision).toList());
        assertTrue(history.of("OTHER").isEmpty());
    }
}
