package io.jsorc.globs.internal.configadmin;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jsorc.api.config.GlobException;
import io.jsorc.api.config.Origin;
import io.jsorc.api.event.Topics;
import io.jsorc.globs.internal.glob.GlobStoreImplTestAccess;
import io.jsorc.globs.internal.schema.MetatypeXml;
import io.jsorc.globs.internal.schema.Schemas;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

/**
 * Typed edits: a value against its declared schema on the one write path, and the Web Console's form save (one
 * property per field beside {@code json}) as an outside edit, validated the same way.
 */
class FormEditTest {

    static final Origin ME = new Origin("alice", "console", "n1");
    static final String XML = """
            <MetaData><OCD id="jsorc.glob.R_CONFIG" name="R">
              <AD id="enabled" type="Boolean"/><AD id="port" type="Integer" min="1"/>
              <AD id="password" type="Password" required="false"/><AD id="pool.size" type="Integer"/>
              <AD id="hosts" type="String" cardinality="5"/>
            </OCD></MetaData>""";
    static final String VALUE = "{\"enabled\":true,\"port\":6379,\"password\":\"s3cret\",\"pool\":{\"size\":2},"
            + "\"hosts\":[\"a\"],\"url\":\"redis://u:pw@h\",\"other\":1}";

    @TempDir
    Path etc;
    final FakeConfigAdmin admin = new FakeConfigAdmin();
    final GlobStoreImplTestAccess access = new GlobStoreImplTestAccess();
    final Schemas schemas = new Schemas();
    final List<Event> posted = Collections.synchronizedList(new ArrayList<>());
    ConfigAdminTier tier;

    @BeforeEach
    void start() throws Exception {
        schemas.declare(MetatypeXml.read(new ByteArrayInputStream(XML.getBytes(StandardCharsets.UTF_8)), "b")
                .get("R_CONFIG"));
        EventAdmin events = new EventAdmin() {
            @Override
            public void postEvent(Event event) {
                posted.add(event);
            }

            @Override
            public void sendEvent(Event event) {
                posted.add(event);
            }
        };
        tier = new ConfigAdminTier(admin, etc);
        tier.setEventAdmin(events);
        admin.listeners.add(tier);
        access.addTier(tier);
        access.schemas(schemas);
        access.eventAdmin(events);
    }

    @AfterEach
    void stop() {
        access.stop();
        tier.deactivate();
    }

    Map<String, Object> config() {
        Map<String, Object> m = new HashMap<>();
        var p = admin.store.get(GlobConfig.pid("R_CONFIG"));
        if (p != null) {
            p.forEach(m::put);
        }
        return m;
    }

    List<Event> refusals() {
        return posted.stream().filter(e -> e.getTopic().equals(Topics.EDIT_REFUSED)).toList();
    }

    @Test
    void aWriteOfTheWrongTypeIsRefusedNamingTheFieldAndNothingChanges() {
        access.store().set("R_CONFIG", VALUE, null, ME);
        GlobException e = assertThrows(GlobException.class,
                () -> access.store().set("R_CONFIG", "{\"port\":\"abc\",\"pool\":{\"size\":true}}", null, ME));
        assertEquals("Value of R_CONFIG does not match its schema: port must be an integer, not a string; "
                + "pool.size must be an integer, not a boolean", e.getMessage());
        assertEquals(1, access.store().get("R_CONFIG").orElseThrow().revision());
        assertEquals(VALUE, config().get("json"));
    }

    @Test
    void theDefaultsOfAServiceAreNotHeldToItsSchema() {
        // a schema added to a service must not stop it from starting on its stored (or default) value
        Map<String, Object> got = access.store().serviceGlob("R_CONFIG", Map.of("port", "not a number"), ME);
        assertEquals("not a number", got.get("port"));
    }

    @Test
    void aFormSaveBecomesTheNextRevisionKeepingSecretsAndUnknownKeys() {
        access.store().set("R_CONFIG", VALUE, null, ME);
        Map<String, Object> form = config();
        // what the Web Console writes: every field typed, the password placeholder, the masked URL shown
        form.put("enabled", Boolean.FALSE);
        form.put("port", 6380);
        form.put("password", "unmodified");
        form.put("pool.size", 4);
        form.put("hosts", new String[] {"a", "b"});
        form.put("url", "redis://********@h");
        admin.externalUpdate(GlobConfig.pid("R_CONFIG"), form);
        await().untilAsserted(() -> assertEquals(2, access.store().get("R_CONFIG").orElseThrow().revision()));
        assertEquals("{\"enabled\":false,\"port\":6380,\"password\":\"s3cret\",\"pool\":{\"size\":4},"
                + "\"hosts\":[\"a\",\"b\"],\"url\":\"redis://u:pw@h\",\"other\":1}",
                access.store().get("R_CONFIG").orElseThrow().json());
        assertEquals("configadmin", access.store().get("R_CONFIG").orElseThrow().stored().origin().source());
        assertFalse(config().containsKey("port"), "stored canonically: json alone, the fields do not outlive the edit");
        assertEquals(List.of(), refusals());
    }

    @Test
    void aFormSaveOfTheWrongTypeIsRefusedRestoredAndReported() {
        access.store().set("R_CONFIG", VALUE, null, ME);
        Map<String, Object> form = config();
        form.put("port", "abc"); // the Web Console stores the text when it cannot convert it
        admin.externalUpdate(GlobConfig.pid("R_CONFIG"), form);
        await().untilAsserted(() -> assertEquals(1, refusals().size()));
        assertEquals(VALUE, config().get("json"));
        assertFalse(config().containsKey("port"));
        assertEquals(1, access.store().get("R_CONFIG").orElseThrow().revision());
        Event refusal = refusals().get(0);
        assertEquals("R_CONFIG", refusal.getProperty("name"));
        assertTrue(refusal.getProperty("message").toString().contains("port must be an integer, not a string"),
                refusal.getProperty("message").toString());
        assertEquals("configadmin", refusal.getProperty("origin.source"));
    }

    @Test
    void aFormSaveMadeOnAnOlderRevisionIsRefusedAndTheNewerRevisionStays() {
        access.store().set("R_CONFIG", VALUE, null, ME);
        Map<String, Object> loaded = config(); // the form loaded at revision 1 ...
        access.store().set("R_CONFIG", VALUE.replace("6379", "7000"), null, ME); // ... someone saves revision 2
        loaded.put("jsorc.revision", 1L);
        loaded.put("port", 6390);
        admin.externalUpdate(GlobConfig.pid("R_CONFIG"), loaded);
        await().untilAsserted(() -> assertEquals(1, refusals().size()));
        assertTrue(refusals().get(0).getProperty("message").toString().contains("made on revision 1, but R_CONFIG is "
                + "at revision 2"), refusals().get(0).getProperty("message").toString());
        assertEquals(2, access.store().get("R_CONFIG").orElseThrow().revision());
        assertTrue(access.store().get("R_CONFIG").orElseThrow().json().contains("7000"));
        await().untilAsserted(() -> assertFalse(config().containsKey("port")));
    }

    @Test
    void aFormSavedWithoutAChangeLeavesNoFieldBehind() {
        access.store().set("R_CONFIG", VALUE, null, ME);
        Map<String, Object> form = config();
        form.put("port", 6379);
        form.put("password", "unmodified");
        admin.externalUpdate(GlobConfig.pid("R_CONFIG"), form);
        await().untilAsserted(() -> assertFalse(config().containsKey("port"), "json alone again"));
        assertEquals(1, access.store().get("R_CONFIG").orElseThrow().revision());
        // a later edit of json is not overwritten by a stale field
        Map<String, Object> edited = config();
        edited.put("json", VALUE.replace("6379", "6390"));
        admin.externalUpdate(GlobConfig.pid("R_CONFIG"), edited);
        await().untilAsserted(() -> assertEquals(2, access.store().get("R_CONFIG").orElseThrow().revision()));
        assertTrue(access.store().get("R_CONFIG").orElseThrow().json().contains("6390"));
    }

    @Test
    void aRequiredFieldSetToNullIsRefused() {
        access.store().set("R_CONFIG", VALUE, null, ME);
        GlobException e = assertThrows(GlobException.class,
                () -> access.store().set("R_CONFIG", "{\"port\":null}", null, ME));
        assertTrue(e.getMessage().endsWith("port must not be empty (null): it is required"), e.getMessage());
    }

    @Test
    void aBadFormCreatingADeclaredGlobIsRefusedAndReadsOfItFail() {
        admin.externalUpdate(GlobConfig.pid("R_CONFIG"), Map.of("port", "many"));
        await().untilAsserted(() -> assertEquals(1, refusals().size()));
        assertTrue(refusals().get(0).getProperty("message").toString().contains("left as it is"));
        GlobException e = assertThrows(GlobException.class, () -> access.store().get("R_CONFIG"));
        assertTrue(e.getMessage().contains("port must be an integer, not a string"), e.getMessage());
        // corrected and saved again: taken as the glob
        admin.externalUpdate(GlobConfig.pid("R_CONFIG"), Map.of("port", 5));
        await().ignoreExceptions().untilAsserted(() -> assertEquals("{\"port\":5}",
                access.store().get("R_CONFIG").orElseThrow().json()));
    }

    @Test
    void aFormCreatingAGlobAfterOurDeleteIsAnEditNotAStaleEcho() {
        access.store().set("R_CONFIG", VALUE, null, ME);
        access.store().delete("R_CONFIG", null, ME);
        admin.externalUpdate(GlobConfig.pid("R_CONFIG"), Map.of("port", 7, "jsorc.revision", 1L));
        await().ignoreExceptions().untilAsserted(() -> assertEquals("{\"port\":7}",
                access.store().get("R_CONFIG").orElseThrow().json()));
        assertEquals(2, access.store().get("R_CONFIG").orElseThrow().revision(), "continues from the deleted one");
    }

    @Test
    void aWriteWhileAFormSaveAwaitsTheWatcherIsStaleAndTheFormSaveIsTaken() {
        access.store().set("R_CONFIG", VALUE, null, ME);
        await("the watcher idle").atMost(java.time.Duration.ofSeconds(5)).until(tier::watcherIdle); // as below
        Map<String, Object> form = config();
        form.put("port", 6390);
        admin.store.put(GlobConfig.pid("R_CONFIG"), new java.util.Hashtable<>(form)); // its event not yet handled
        GlobException e = assertThrows(GlobException.class,
                () -> access.store().set("R_CONFIG", VALUE.replace("6379", "7000"), 1L, ME));
        assertEquals(GlobException.Reason.STALE_REVISION, e.reason());
        admin.externalUpdate(GlobConfig.pid("R_CONFIG"), form); // the event arrives
        await().untilAsserted(() -> assertEquals(2, access.store().get("R_CONFIG").orElseThrow().revision()));
        assertTrue(access.store().get("R_CONFIG").orElseThrow().json().contains("6390"));
    }

    @Test
    void aBadFileCreatingADeclaredGlobStaysButReadsOfItFail() {
        admin.externalUpdate(GlobConfig.pid("R_CONFIG"), Map.of("json", "{\"port\":\"many\"}",
                GlobConfig.FILEINSTALL_FILENAME, etc.resolve("jsorc.glob.R_CONFIG.cfg").toUri().toString()));
        await().untilAsserted(() -> assertEquals(1, refusals().size()));
        assertTrue(refusals().get(0).getProperty("message").toString().contains("left as it is"));
        GlobException e = assertThrows(GlobException.class, () -> access.store().get("R_CONFIG"));
        assertTrue(e.getMessage().contains("port must be an integer, not a string"), e.getMessage());
        access.store().set("R_CONFIG", "{\"port\":1}", null, ME); // a valid write replaces it
        assertEquals("{\"port\":1}", access.store().get("R_CONFIG").orElseThrow().json());
    }

    @Test
    void aFormSaveIsNotReadBeforeItWasValidated() throws Exception {
        access.store().set("R_CONFIG", VALUE, null, ME);
        // the watcher has handled the event of our own write: else it could read the form put below as that event's
        // configuration, and the read would meet the documented instant between the watcher and the store
        await("the watcher idle").atMost(java.time.Duration.ofSeconds(5)).until(tier::watcherIdle);
        Map<String, Object> form = config();
        form.put("port", "abc");
        admin.store.put(GlobConfig.pid("R_CONFIG"), new java.util.Hashtable<>(form)); // its event not yet handled
        assertEquals(VALUE, tier.get("R_CONFIG").orElseThrow().json(), "the tier serves the last validated value");
        assertEquals(1, tier.get("R_CONFIG").orElseThrow().revision());
    }

    @Test
    void aOneLineInputDroppingLineBreaksKeepsTheText() {
        access.store().set("R_CONFIG", "{\"port\":1,\"note\":\"a\\nb\"}", null, ME);
        Map<String, Object> form = config();
        form.put("note", "ab");
        form.put("port", 2);
        admin.externalUpdate(GlobConfig.pid("R_CONFIG"), form);
        await().untilAsserted(() -> assertEquals(2, access.store().get("R_CONFIG").orElseThrow().revision()));
        assertEquals("{\"port\":2,\"note\":\"a\\nb\"}", access.store().get("R_CONFIG").orElseThrow().json());
    }

    @Test
    void anEmptyTextStandsForNullAndAFormCanCreateADeclaredGlob() {
        admin.externalUpdate(GlobConfig.pid("R_CONFIG"), Map.of("enabled", true, "password", "", "port", 5));
        await().untilAsserted(() -> assertTrue(access.store().exists("R_CONFIG")));
        assertEquals("{\"enabled\":true,\"port\":5}", access.store().get("R_CONFIG").orElseThrow().json());
    }
}
