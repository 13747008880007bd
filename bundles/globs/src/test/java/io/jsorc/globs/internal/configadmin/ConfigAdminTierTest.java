package io.jsorc.globs.internal.configadmin;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jsorc.api.config.GlobException;
import io.jsorc.api.config.GlobException.Reason;
import io.jsorc.api.config.GlobStore;
import io.jsorc.api.config.GlobValue;
import io.jsorc.api.config.Origin;
import io.jsorc.api.config.StoredGlob;
import io.jsorc.api.event.GlobEvent;
import io.jsorc.globs.internal.glob.GlobStoreImplTestAccess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigAdminTierTest {

    static final Origin ME = new Origin("alice", "console", "n1");
    static final String JSON = "{\"u\":\"é€😀\",\"p\":\"${karaf.home}\\\\x\",\"n\":[1,1.0,null]}";

    @TempDir
    Path etc;
    final FakeConfigAdmin admin = new FakeConfigAdmin();
    ConfigAdminTier tier;
    final GlobStoreImplTestAccess access = new GlobStoreImplTestAccess();
    GlobStore store;
    final List<GlobEvent> events = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void start() {
        tier = new ConfigAdminTier(admin, etc);
        admin.listeners.add(tier);
        access.addTier(tier);
        access.addListener(events::add);
        store = access.store();
    }

    @AfterEach
    void stop() {
        access.stop();
        tier.deactivate();
    }

    Map<String, Object> config(String name) {
        Map<String, Object> m = new HashMap<>();
        var p = admin.store.get(GlobConfig.pid(name));
        if (p != null) {
            p.forEach(m::put);
        }
        return m;
    }

    @Test
    void aCompareAndSetDoesNotOverwriteAnOutsideEditNotYetTurnedIntoARevision() throws Exception {
        store.set("W_CONFIG", "{\"a\":1}", null, ME);
        awaitWatcherDrained(); // the event of our own write is handled: what follows is the only change
        // an operator's edit that Config Admin already holds but whose event has not been handled yet
        admin.store.get(GlobConfig.pid("W_CONFIG")).put("json", "{\"a\":2}");
        StoredGlob mine = new StoredGlob("W_CONFIG", "{\"a\":3}", 2, Instant.now(), ME);
        assertFalse(tier.compareAndSet("W_CONFIG", 1, mine));
        assertEquals("{\"a\":2}", config("W_CONFIG").get("json"));
    }

    @Test
    void aWriteIsInConfigAdminAndInTheEtcFileBeforeItReturns() throws Exception {
        store.set("A_CONFIG", JSON, null, ME);
        Map<String, Object> c = config("A_CONFIG");
        assertEquals(JSON, c.get("json"));
        assertEquals(1L, c.get("jsorc.revision"));
        assertTrue(c.get("jsorc.time") instanceof Long);
        assertEquals("alice", c.get("jsorc.origin.actor"));
        assertEquals("console", c.get("jsorc.origin.source"));
        assertEquals("n1", c.get("jsorc.origin.node"));
        byte[] file = Files.readAllBytes(etc.resolve("jsorc.glob.A_CONFIG.cfg"));
        var read = CfgFileTest.fileInstallRead(file, StandardCharsets.ISO_8859_1);
        assertEquals(JSON, read.get("json"));
        c.forEach((k, v) -> assertEquals(v, read.get(k), k)); // FileInstall sees no difference: no reload
    }

    @Test
    void globsComeBackFromTheEtcFileAfterACleanStart() throws Exception {
        store.set("A_CONFIG", JSON, null, ME);
        store.set("A_CONFIG", JSON.replace("1.0", "2.0"), null, ME);
        admin.listeners.remove(tier);
        tier.deactivate(); // Karaf stops (the worker drains its queue) ...
        admin.store.clear(); // ... and bin/karaf clean: Config Admin's data/ is gone, etc/ stays
        ConfigAdminTier fresh = new ConfigAdminTier(admin, etc);
        try {
            StoredGlob g = fresh.get("A_CONFIG").orElseThrow();
            assertEquals(JSON.replace("1.0", "2.0"), g.json());
            assertEquals(2, g.revision());
            assertEquals(ME, g.origin());
            assertEquals(List.of("A_CONFIG"), fresh.list());
        } finally {
            fresh.deactivate();
        }
    }

    @Test
    void compareAndSetAndDeleteRefuseAStaleRevision() throws Exception {
        StoredGlob g1 = new StoredGlob("G", "1", 1, Instant.now(), ME);
        assertTrue(tier.putIfAbsent(g1));
        assertFalse(tier.putIfAbsent(g1));
        assertFalse(tier.compareAndSet("G", 5, new StoredGlob("G", "2", 6, Instant.now(), ME)));
        assertFalse(tier.delete("G", 5));
        assertTrue(tier.delete("G", 1));
        assertFalse(Files.exists(etc.resolve("jsorc.glob.G.cfg")));
        assertTrue(config("G").isEmpty());
    }

    @Test
    void aFailingConfigAdminChangesNothingAnywhere() throws Exception {
        store.set("G", "1", null, ME);
        String before = Files.readString(etc.resolve("jsorc.glob.G.cfg"));
        admin.failUpdates = true;
        GlobException e = assertThrows(GlobException.class, () -> store.set("G", "2", null, ME));
        assertEquals(Reason.STORAGE, e.reason());
        assertEquals(before, Files.readString(etc.resolve("jsorc.glob.G.cfg")));
        assertEquals("1", config("G").get("json"));
        assertEquals("1", store.get("G").map(GlobValue::json).orElseThrow());
        assertThrows(GlobException.class, () -> store.set("NEW", "2", null, ME));
        assertFalse(Files.exists(etc.resolve("jsorc.glob.NEW.cfg")));
    }

    /**
     * Waits until the watcher handled every configuration event sent so far: it handles them in order on one
     * thread, so once an edit of another glob made now became a revision, every earlier event was handled.
     */
    void awaitWatcherDrained() {
        String barrier = "BARRIER_" + System.nanoTime();
        store.set(barrier, "1", null, ME);
        Map<String, Object> edited = config(barrier);
        edited.put("json", "2");
        admin.externalUpdate(GlobConfig.pid(barrier), edited);
        await("the watcher reached the barrier").untilAsserted(() -> assertEquals("2", store.get(barrier).orElseThrow().json()));
    }

    List<GlobEvent> eventsOf(String name) {
        synchronized (events) {
            return events.stream().filter(e -> e.name().equals(name)).toList();
        }
    }

    @Test
    void ourOwnWritesAreNotTakenForEditsBehindOurBack() {
        store.set("G", "1", null, ME);
        store.set("G", "2", null, ME);
        awaitWatcherDrained();
        await().untilAsserted(() -> assertEquals(2, eventsOf("G").size()));
        assertEquals(2, store.get("G").orElseThrow().revision());
    }

    /**
     * Defect 2: FileInstall read the file at revision 1, we wrote revision 2, then FileInstall compared its stale
     * read with the configuration and wrote revision 1 back (with its file name). The acknowledged revision stays.
     */
    @Test
    void aStaleEchoOfAnOlderRevisionIsUndoneAndTheAcknowledgedValueStays() throws Exception {
        store.set("E_CONFIG", "{\"v\":1}", null, ME);
        Map<String, Object> revisionOne = config("E_CONFIG");
        assertEquals(2, store.set("E_CONFIG", "{\"v\":2}", null, ME));
        revisionOne.put(GlobConfig.FILEINSTALL_FILENAME, etc.resolve("jsorc.glob.E_CONFIG.cfg").toUri().toString());
        admin.externalUpdate(GlobConfig.pid("E_CONFIG"), revisionOne);
        awaitWatcherDrained();
        assertEquals("{\"v\":2}", store.get("E_CONFIG").orElseThrow().json());
        assertEquals(2, store.get("E_CONFIG").orElseThrow().revision());
        assertEquals("{\"v\":2}", config("E_CONFIG").get("json"), "Config Admin holds revision 2 again");
        assertEquals(2L, config("E_CONFIG").get("jsorc.revision"));
        assertFalse(config("E_CONFIG").containsKey(GlobConfig.FILEINSTALL_FILENAME));
        assertEquals("{\"v\":2}", CfgFile.decode(Files.readString(etc.resolve("jsorc.glob.E_CONFIG.cfg"),
                StandardCharsets.ISO_8859_1)).get("json"), "and so does the file");
        assertEquals(2, eventsOf("E_CONFIG").size(), "no revision 3");
    }

    /**
     * Review 2, finding 2: FileInstall read the file at revision 2; the glob was deleted and written again; then
     * FileInstall wrote its old read back. A re-created glob continues from the deleted revision (3, not 1), so the
     * echo is older than the acknowledged write and undone, as any stale echo.
     */
    @Test
    void aStaleEchoFromBeforeADeleteNeverReplacesTheGlobWrittenAfterIt() throws Exception {
        store.set("D_CONFIG", "{\"v\":1}", null, ME);
        store.set("D_CONFIG", "{\"v\":2}", null, ME);
        Map<String, Object> revisionTwo = config("D_CONFIG");
        assertEquals(2, store.delete("D_CONFIG", null, ME));
        assertEquals(3, store.set("D_CONFIG", "{\"v\":\"new\"}", GlobStore.ABSENT, ME), "continues from 2");
        revisionTwo.put(GlobConfig.FILEINSTALL_FILENAME, etc.resolve("jsorc.glob.D_CONFIG.cfg").toUri().toString());
        admin.externalUpdate(GlobConfig.pid("D_CONFIG"), revisionTwo);
        awaitWatcherDrained();
        assertEquals("{\"v\":\"new\"}", store.get("D_CONFIG").orElseThrow().json());
        assertEquals(3, store.get("D_CONFIG").orElseThrow().revision());
        assertEquals("{\"v\":\"new\"}", config("D_CONFIG").get("json"), "Config Admin holds revision 3 again");
        await().untilAsserted(() -> assertEquals(4, eventsOf("D_CONFIG").size())); // 1, 2, deleted, 3
        assertEquals(List.of(0L, 1L, 2L, 0L), eventsOf("D_CONFIG").stream().map(GlobEvent::oldRevision).toList());
        assertEquals(List.of(1L, 2L, 0L, 3L), eventsOf("D_CONFIG").stream().map(GlobEvent::newRevision).toList());
    }

    /**
     * FileInstall writes a configuration carrying its file name back into the file: such a write-back of a stale
     * echo can land after our own write of the newer revision. When the event of our write is handled, the file is
     * checked and written again.
     */
    @Test
    void aStaleWriteBackIntoTheFileIsRepairedOnTheEventOfOurWrite() throws Exception {
        store.set("F_CONFIG", "{\"v\":1}", null, ME);
        Path file = etc.resolve("jsorc.glob.F_CONFIG.cfg");
        String revisionOne = Files.readString(file, StandardCharsets.ISO_8859_1);
        store.set("F_CONFIG", "{\"v\":2}", null, ME);
        awaitWatcherDrained();
        Files.writeString(file, revisionOne, StandardCharsets.ISO_8859_1); // FileInstall's late write-back
        admin.externalUpdate(GlobConfig.pid("F_CONFIG"), config("F_CONFIG")); // the event of our own write
        awaitWatcherDrained();
        assertEquals("{\"v\":2}", CfgFile.decode(Files.readString(file, StandardCharsets.ISO_8859_1)).get("json"));
        assertEquals(2L, CfgFile.decode(Files.readString(file, StandardCharsets.ISO_8859_1)).get("jsorc.revision"));
        assertEquals(2, eventsOf("F_CONFIG").size(), "nothing else changed");
    }

    /** An edit that drops the revision line is an operator's edit, not a stale echo. */
    @Test
    void anEditWithoutARevisionIsAnEdit() {
        store.set("N_CONFIG", "{\"n\":1}", null, ME);
        store.set("N_CONFIG", "{\"n\":2}", null, ME);
        Map<String, Object> edited = config("N_CONFIG");
        edited.remove("jsorc.revision");
        edited.put("json", "{\"n\":3}");
        admin.externalUpdate(GlobConfig.pid("N_CONFIG"), edited);
        await().untilAsserted(() -> assertEquals(3, store.get("N_CONFIG").orElseThrow().revision()));
        assertEquals("{\"n\":3}", store.get("N_CONFIG").orElseThrow().json());
    }

    /** Defect 14: glob files hold keys and passwords: readable and writable by the owner only. */
    @Test
    void globFilesAreReadableByTheOwnerOnly() throws Exception {
        store.set("SECRET_CONFIG", "{\"password\":\"hunter2\"}", null, ME);
        Path file = etc.resolve("jsorc.glob.SECRET_CONFIG.cfg");
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(file)));
        store.set("SECRET_CONFIG", "{\"password\":\"hunter3\"}", null, ME);
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(file)), "also after a rewrite");
    }

    /**
     * Review 3, finding 4: a glob created from outside (a configuration without a revision) after a delete also
     * continues from the deleted revision, so an older echo from before the delete is still undone.
     */
    @Test
    void aGlobCreatedFromOutsideAfterADeleteContinuesFromTheDeletedRevision() throws Exception {
        Map<String, Object> revisionTwo = deletedAtRevisionTwo("O_CONFIG");
        Map<String, Object> operators = new HashMap<>();
        operators.put("json", "{\"v\":\"operator\"}");
        admin.externalUpdate(GlobConfig.pid("O_CONFIG"), operators);
        awaitWatcherDrained();
        assertOperatorsGlobSurvivesAnEchoOf(revisionTwo);
    }

    /**
     * Review 4, finding 3: the same when a read finds the operator's configuration before the watcher handled its
     * event: the read neither takes it for revision 1 of ours nor hides the change from the watcher.
     */
    @Test
    void aGlobCreatedFromOutsideAfterADeleteAndReadBeforeItsEventContinuesFromTheDeletedRevision() throws Exception {
        Map<String, Object> revisionTwo = deletedAtRevisionTwo("O_CONFIG");
        Hashtable<String, Object> operators = new Hashtable<>();
        operators.put("json", "{\"v\":\"operator\"}");
        admin.store.put(GlobConfig.pid("O_CONFIG"), operators); // in Config Admin, its event not sent yet
        assertEquals("{\"v\":\"operator\"}", store.get("O_CONFIG").orElseThrow().json());
        admin.externalUpdate(GlobConfig.pid("O_CONFIG"), operators); // now the event
        awaitWatcherDrained();
        assertEquals(List.of(0L, 3L), eventsOf("O_CONFIG").stream().filter(e -> e.newRevision() == 3)
                .map(e -> List.of(e.oldRevision(), e.newRevision())).findFirst().orElse(List.of()),
                "the operator's glob became revision 3, and said so: " + eventsOf("O_CONFIG"));
        assertOperatorsGlobSurvivesAnEchoOf(revisionTwo);
    }

    /**
     * Review 5, finding 2: after a delete made outside (config:delete), a configuration coming back with an old
     * revision (a restored backup) and read before its event is an edit: renumbered past the deleted revision.
     */
    @Test
    void aGlobRestoredAfterAnOutsideDeleteAndReadBeforeItsEventBecomesTheNextRevision() {
        store.set("R_CONFIG", "{\"v\":1}", null, ME);
        store.set("R_CONFIG", "{\"v\":2}", null, ME);
        Map<String, Object> revisionTwo = config("R_CONFIG");
        admin.externalDelete(GlobConfig.pid("R_CONFIG"));
        awaitWatcherDrained();
        assertTrue(store.get("R_CONFIG").isEmpty());
        admin.store.put(GlobConfig.pid("R_CONFIG"), new Hashtable<>(revisionTwo)); // its event not sent yet
        assertEquals("{\"v\":2}", store.get("R_CONFIG").orElseThrow().json());
        admin.externalUpdate(GlobConfig.pid("R_CONFIG"), revisionTwo);
        awaitWatcherDrained();
        assertEquals(3, store.get("R_CONFIG").orElseThrow().revision());
        assertEquals("{\"v\":2}", store.get("R_CONFIG").orElseThrow().json());
        assertTrue(eventsOf("R_CONFIG").stream().anyMatch(e -> e.oldRevision() == 0 && e.newRevision() == 3),
                "its event: " + eventsOf("R_CONFIG"));
    }

    /**
     * Review 6, finding 2: the same when the glob had been deleted by us before, then created again from outside at a
     * higher revision: the operator's config:delete is what the restored backup follows, not our older delete.
     */
    @Test
    void aGlobRestoredAfterAnOutsideDeleteThatFollowedOurDeleteBecomesTheNextRevision() {
        Map<String, Object> revisionTwo = deletedAtRevisionTwo("Q_CONFIG");
        Hashtable<String, Object> seven = new Hashtable<>(revisionTwo);
        seven.put(GlobConfig.REVISION, 7L);
        seven.put("json", "{\"v\":7}");
        admin.store.put(GlobConfig.pid("Q_CONFIG"), seven); // read before its event
        assertEquals(7, store.get("Q_CONFIG").orElseThrow().revision());
        admin.externalUpdate(GlobConfig.pid("Q_CONFIG"), seven);
        awaitWatcherDrained();
        admin.externalDelete(GlobConfig.pid("Q_CONFIG"));
        awaitWatcherDrained();
        assertTrue(store.get("Q_CONFIG").isEmpty());
        admin.externalUpdate(GlobConfig.pid("Q_CONFIG"), revisionTwo); // an old backup restored
        awaitWatcherDrained();
        assertEquals("{\"v\":2}", store.get("Q_CONFIG").orElseThrow().json());
        assertEquals(8, store.get("Q_CONFIG").orElseThrow().revision());
    }

    /** Writes revisions 1 and 2 of {@code name}, deletes it, and returns what Config Admin held at revision 2. */
    private Map<String, Object> deletedAtRevisionTwo(String name) {
        store.set(name, "{\"v\":1}", null, ME);
        store.set(name, "{\"v\":2}", null, ME);
        Map<String, Object> revisionTwo = config(name);
        assertEquals(2, store.delete(name, null, ME));
        return revisionTwo;
    }

    private void assertOperatorsGlobSurvivesAnEchoOf(Map<String, Object> revisionTwo) {
        assertEquals(3, store.get("O_CONFIG").orElseThrow().revision());
        revisionTwo.put(GlobConfig.FILEINSTALL_FILENAME, etc.resolve("jsorc.glob.O_CONFIG.cfg").toUri().toString());
        admin.externalUpdate(GlobConfig.pid("O_CONFIG"), revisionTwo);
        awaitWatcherDrained();
        assertEquals("{\"v\":\"operator\"}", store.get("O_CONFIG").orElseThrow().json());
        assertEquals(3, store.get("O_CONFIG").orElseThrow().revision());
    }

    @Test
    void aConfigEditBecomesTheNextRevisionWithSourceConfigadmin() {
        store.set("A_CONFIG", "{\"a\":1}", null, ME);
        Map<String, Object> edited = config("A_CONFIG");
        edited.put("json", "{ \"a\": 2 }");
        admin.externalUpdate(GlobConfig.pid("A_CONFIG"), edited);
        await().untilAsserted(() -> assertEquals(2, store.get("A_CONFIG").orElseThrow().revision()));
        assertEquals("{\"a\":2}", store.get("A_CONFIG").orElseThrow().json());
        assertEquals("configadmin", store.get("A_CONFIG").orElseThrow().stored().origin().source());
        assertEquals("{\"a\":2}", config("A_CONFIG").get("json"));
        assertEquals(2L, config("A_CONFIG").get("jsorc.revision"));
        await().untilAsserted(() -> assertEquals(2, events.size()));
        assertEquals("configadmin", events.get(1).origin().source());
    }

    @Test
    void anEtcFileEditBecomesTheNextRevisionWithSourceFile() {
        store.set("G", "1", null, ME);
        Map<String, Object> edited = config("G");
        edited.put("json", "2");
        edited.put(GlobConfig.FILEINSTALL_FILENAME, etc.resolve("jsorc.glob.G.cfg").toUri().toString());
        admin.externalUpdate(GlobConfig.pid("G"), edited);
        await().untilAsserted(() -> assertEquals("2", store.get("G").orElseThrow().json()));
        assertEquals("file", store.get("G").orElseThrow().stored().origin().source());
        assertFalse(config("G").containsKey(GlobConfig.FILEINSTALL_FILENAME), "FileInstall must not save it back");
    }

    @Test
    void anInvalidEditIsRefusedAndThePreviousValueRestored() {
        store.set("A_CONFIG", "{\"a\":1}", null, ME);
        Map<String, Object> edited = config("A_CONFIG");
        edited.put("json", "[1]");
        admin.externalUpdate(GlobConfig.pid("A_CONFIG"), edited);
        await().untilAsserted(() -> assertEquals("{\"a\":1}", config("A_CONFIG").get("json")));
        edited.put("json", "{not json");
        admin.externalUpdate(GlobConfig.pid("A_CONFIG"), edited);
        await().untilAsserted(() -> assertEquals("{\"a\":1}", config("A_CONFIG").get("json")));
        assertEquals(1, store.get("A_CONFIG").orElseThrow().revision());
        assertEquals(1, events.size());
    }

    @Test
    void aDeletionBehindOurBackDeletesTheGlobAndItsFile() {
        store.set("G", "1", null, ME);
        admin.externalDelete(GlobConfig.pid("G"));
        await().untilAsserted(() -> assertFalse(store.exists("G")));
        assertFalse(Files.exists(etc.resolve("jsorc.glob.G.cfg")));
        await().untilAsserted(() -> assertEquals(2, events.size()));
        assertTrue(events.get(1).deleted());
    }

    @Test
    void deactivateStopsTheWorkerThread() {
        assertFalse(tier.watcherStopped());
        tier.deactivate();
        assertTrue(tier.watcherStopped());
    }
}
