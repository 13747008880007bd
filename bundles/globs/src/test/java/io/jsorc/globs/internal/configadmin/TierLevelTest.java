package io.jsorc.globs.internal.configadmin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jsorc.api.config.Origin;
import io.jsorc.api.config.StoredGlob;
import io.jsorc.api.spi.GlobTier.TierChange;
import io.jsorc.globs.internal.glob.GlobTierContract;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Config Admin tier on its own, as the glob store uses it through the tier SPI. */
class TierLevelTest {

    static final Origin ME = new Origin("alice", "console", "n1");

    @TempDir
    Path etc;
    final FakeConfigAdmin admin = new FakeConfigAdmin();
    ConfigAdminTier tier;

    @AfterEach
    void stop() {
        if (tier != null) {
            tier.deactivate();
        }
    }

    static StoredGlob glob(String name, String json, long revision) {
        return new StoredGlob(name, json, revision, Instant.now(), ME);
    }

    @Test
    void putCompareAndSetAndDeleteAnswerWhetherTheyActed() throws Exception {
        tier = new ConfigAdminTier(admin, etc);
        assertEquals("configadmin", tier.name());
        assertEquals(100, tier.order());
        GlobTierContract.assertCompareAndSetContract(tier);
    }

    @Test
    void listNamesGlobsInConfigAdminAndInEtcButNoOtherFile() throws Exception {
        tier = new ConfigAdminTier(admin, etc);
        tier.putIfAbsent(glob("A", "1", 1));
        Files.writeString(etc.resolve("jsorc.glob.B.cfg"), CfgFile.encode("h",
                GlobConfig.toProperties(glob("B", "2", 1))), StandardCharsets.ISO_8859_1);
        Files.writeString(etc.resolve("org.apache.karaf.shell.cfg"), "sshPort = 8101\n");
        Files.writeString(etc.resolve("jsorc.glob.C.txt"), "not a cfg");
        admin.store.put("other.pid", new java.util.Hashtable<>(Map.of("a", "b")));
        assertEquals(List.of("A", "B"), tier.list());
        assertEquals("2", tier.get("B").orElseThrow().json(), "read from the file while Config Admin lacks it");
    }

    @Test
    void withoutAnEtcDirectoryGlobsLiveInConfigAdminOnly() throws Exception {
        tier = new ConfigAdminTier(admin, null);
        assertTrue(tier.putIfAbsent(glob("G", "1", 1)));
        assertEquals(List.of("G"), tier.list());
        assertEquals("1", admin.store.get("jsorc.glob.G").get("json"));
    }

    @Test
    void theDsConstructorTakesEtcFromKarafEtc() throws Exception {
        String previous = System.getProperty("karaf.etc");
        try {
            System.setProperty("karaf.etc", etc.toString());
            tier = new ConfigAdminTier(admin);
            tier.putIfAbsent(glob("G", "1", 1));
            assertTrue(Files.exists(etc.resolve("jsorc.glob.G.cfg")));
            tier.deactivate();
            System.setProperty("karaf.etc", " ");
            tier = new ConfigAdminTier(admin);
            assertTrue(tier.putIfAbsent(glob("H", "1", 1)));
            assertFalse(Files.exists(etc.resolve("jsorc.glob.H.cfg")), "a blank karaf.etc: no files");
        } finally {
            if (previous == null) {
                System.clearProperty("karaf.etc");
            } else {
                System.setProperty("karaf.etc", previous);
            }
        }
    }

    @Test
    void aSubscriptionEndsWhenItsHandleIsClosed() throws Exception {
        tier = new ConfigAdminTier(admin, etc);
        admin.listeners.add(tier);
        List<TierChange> seen = new ArrayList<>();
        AutoCloseable handle = tier.subscribe(seen::add);
        tier.putIfAbsent(glob("G", "1", 1));
        Map<String, Object> edited = new java.util.HashMap<>(admin.store.get("jsorc.glob.G"));
        edited.put("json", "2");
        admin.externalUpdate("jsorc.glob.G", edited);
        org.awaitility.Awaitility.await().until(() -> seen.size() == 1);
        assertEquals("2", seen.get(0).glob().json());
        handle.close();
        edited.put("json", "3");
        admin.externalUpdate("jsorc.glob.G", edited);
        Map<String, Object> barrier = new java.util.HashMap<>(GlobConfig.toProperties(glob("Z", "1", 1)));
        List<TierChange> after = new ArrayList<>();
        tier.subscribe(after::add);
        admin.externalUpdate("jsorc.glob.Z", barrier);
        org.awaitility.Awaitility.await().until(() -> after.stream().anyMatch(c -> c.name().equals("Z")));
        assertEquals(1, seen.size(), "nothing after the handle was closed");
    }

    /** Review finding 4: a stale echo read before the watcher undid it reads as our newer revision. */
    @Test
    void aStaleEchoReadsAsTheNewerRevision() throws Exception {
        tier = new ConfigAdminTier(admin, etc);
        tier.putIfAbsent(glob("G", "{\"v\":1}", 1));
        java.util.Hashtable<String, Object> revisionOne = new java.util.Hashtable<>(admin.store.get("jsorc.glob.G"));
        tier.compareAndSet("G", 1, glob("G", "{\"v\":2}", 2));
        revisionOne.put(GlobConfig.FILEINSTALL_FILENAME, etc.resolve("jsorc.glob.G.cfg").toUri().toString());
        admin.store.put("jsorc.glob.G", revisionOne); // FileInstall's stale write, its event not handled yet
        assertEquals(2, tier.get("G").orElseThrow().revision());
        assertEquals("{\"v\":2}", tier.get("G").orElseThrow().json());
        assertTrue(tier.compareAndSet("G", 2, glob("G", "{\"v\":3}", 3)), "a write on what readers saw works");
    }

    /** Review finding 5: a deleted glob that FileInstall writes back (a stale echo) is deleted again. */
    @Test
    void aDeletedGlobWrittenBackByAStaleEchoIsDeletedAgain() throws Exception {
        tier = new ConfigAdminTier(admin, etc);
        admin.listeners.add(tier);
        List<TierChange> seen = new ArrayList<>();
        tier.subscribe(seen::add);
        tier.putIfAbsent(glob("G", "{\"secret\":1}", 1));
        java.util.Hashtable<String, Object> revisionOne = new java.util.Hashtable<>(admin.store.get("jsorc.glob.G"));
        assertTrue(tier.delete("G", 1));
        revisionOne.put(GlobConfig.FILEINSTALL_FILENAME, etc.resolve("jsorc.glob.G.cfg").toUri().toString());
        admin.store.put("jsorc.glob.G", revisionOne);
        // FileInstall writes a configuration carrying its file name back into the file
        Files.writeString(etc.resolve("jsorc.glob.G.cfg"), CfgFile.encode("h", GlobConfig.toProperties(
                glob("G", "{\"secret\":1}", 1))), StandardCharsets.ISO_8859_1);
        assertTrue(tier.get("G").isEmpty(), "read as deleted before the watcher acts");
        admin.externalUpdate("jsorc.glob.G", revisionOne);
        org.awaitility.Awaitility.await("deleted again").until(() -> !admin.store.containsKey("jsorc.glob.G"));
        assertFalse(Files.exists(etc.resolve("jsorc.glob.G.cfg")));
        assertTrue(seen.stream().noneMatch(c -> c.glob() != null), "never announced as a new value: " + seen);
        assertTrue(tier.putIfAbsent(glob("G", "{\"new\":1}", 1)), "writing the name again works");
        assertEquals("{\"new\":1}", tier.get("G").orElseThrow().json());
    }

    @Test
    void revisionsAreReadFromNumbersAndTheirText() {
        assertEquals(5, GlobConfig.asLong(5L, 1));
        assertEquals(5, GlobConfig.asLong(5, 1));
        assertEquals(5, GlobConfig.asLong("5", 1));
        assertEquals(5, GlobConfig.asLong(" L\"5\" ", 1));
        assertEquals(1, GlobConfig.asLong("L\"", 1));
        assertEquals(1, GlobConfig.asLong("five", 1));
        assertEquals(1, GlobConfig.asLong(null, 1));
        StoredGlob bare = GlobConfig.fromProperties("G", Map.of(), ME);
        assertEquals("", bare.json());
        assertEquals(1, bare.revision());
        assertEquals(ME, bare.origin());
        assertEquals("G", GlobConfig.name("jsorc.glob.G"));
        assertEquals(null, GlobConfig.name("jsorc.globs"));
        assertEquals(null, GlobConfig.name(null));
    }

    @Test
    void theFileHeaderAndControlCharactersAreAscii() throws Exception {
        String text = CfgFile.encode("h\u00e9 ~\u007f", Map.of("json", " ~\u001f\u007f"));
        assertTrue(text.startsWith("# h\\u00e9 ~\\u007f\n"), text);
        assertTrue(text.contains("json = \" ~\\u001f\\u007f\""), text);
        assertEquals(" ~\u001f\u007f", CfgFile.decode(text).get("json"));
    }
}
