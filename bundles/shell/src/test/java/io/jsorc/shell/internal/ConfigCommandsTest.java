package io.jsorc.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** config-get, config-delete, config-exists, config-list, config-index and the config name completer. */
class ConfigCommandsTest extends ShellKit {

    @BeforeEach
    void registerStripe() {
        kit.register("stripe", Painter::new);
    }

    ConfigGetCommand get(String name) {
        ConfigGetCommand command = new ConfigGetCommand();
        command.configApi = kit.configApi();
        command.out = output.stream;
        command.name = name;
        return command;
    }

    ConfigDeleteCommand delete(String name) {
        ConfigDeleteCommand command = new ConfigDeleteCommand();
        command.configApi = kit.configApi();
        command.out = output.stream;
        command.name = name;
        return command;
    }

    @Test
    void configGetPrintsTheStoredTextExactly() throws Exception {
        set("STRIPE_CONFIG", "{ \"enabled\": false, \"n\": 1.0 }");
        get("STRIPE_CONFIG").execute();
        assertEquals("{\"enabled\":false,\"n\":1.0}\n", output.text());
    }

    @Test
    void configGetShowsSecretsMasked() throws Exception {
        set("STRIPE_CONFIG", "{\"enabled\":true,\"key\":\"sk_live_1\",\"url\":\"redis://u:pw@h\",\"ref\":\"$[env:K]\"}");
        get("STRIPE_CONFIG").execute();
        assertEquals("{\"enabled\":true,\"key\":\"********\",\"url\":\"redis://********@h\",\"ref\":\"$[env:K]\"}\n",
                output.text());
    }

    @Test
    void configGetWithRevisionSaysWhichRevisionWhenAndWho() throws Exception {
        set("STRIPE_CONFIG", "{\"a\":1}");
        ConfigGetCommand command = get("STRIPE_CONFIG");
        command.revision = true;
        command.execute();
        String[] lines = output.text().split("\n");
        assertTrue(lines[0].matches("revision 2, written \\S+ by test@test/\\S+"), lines[0]);
        assertEquals("{\"a\":1}", lines[1]);
    }

    @Test
    void configGetOfAnAbsentGlobPrintsNothingAndNamesAreChecked() throws Exception {
        ConfigGetCommand absent = get("NOTHING");
        absent.noCheck = true;
        absent.execute();
        assertEquals("", output.text());
        assertRefused(get("NOTHING"), "Config NOTHING not recognized, must be in ['META_CONFIG', 'STRIPE_CONFIG']!");
    }

    ConfigUpdateCommand update(String name, String key, String json) {
        ConfigUpdateCommand command = new ConfigUpdateCommand();
        command.configApi = kit.configApi();
        command.out = output.stream;
        command.name = name;
        command.key = key;
        command.json = json;
        return command;
    }

    @Test
    void configUpdateSetsOneFieldKeepsMaskedSecretsAndRefusesWithTheOriginalsMessages() throws Exception {
        set("STRIPE_CONFIG", "{\"enabled\":false,\"key\":\"sk_live_1\"}");
        update("STRIPE_CONFIG", "enabled", "'true'").execute();
        assertEquals("Config of 'STRIPE_CONFIG' to '{\"enabled\":true,\"key\":\"********\"}' set!\n", output.text());
        update("STRIPE_CONFIG", "key", "\"********\"").execute();
        assertEquals("{\"enabled\":true,\"key\":\"sk_live_1\"}", kit.globs().get("STRIPE_CONFIG").orElseThrow().json());
        output.clear();
        assertRefused(update("STRIPE_CONFIG", "nope", "1"), "Field nope does not exist in config STRIPE_CONFIG");
        ConfigUpdateCommand stale = update("STRIPE_CONFIG", "enabled", "false");
        stale.rev = 1L;
        assertRefused(stale, "Stale write of STRIPE_CONFIG: expected revision 1 but it is revision 4; read it again "
                + "and retry");
        assertEquals("{\"enabled\":true,\"key\":\"sk_live_1\"}", kit.globs().get("STRIPE_CONFIG").orElseThrow().json());
    }

    @Test
    void configDeleteDeletesAndPrintsTheOriginalsMessage() throws Exception {
        delete("STRIPE_CONFIG").execute();
        assertEquals("STRIPE_CONFIG Deleted.\n", output.text());
        assertFalse(kit.globs().exists("STRIPE_CONFIG"));
    }

    @Test
    void configDeleteWithAStaleRevisionIsRefusedAndDeletesNothing() {
        ConfigDeleteCommand command = delete("STRIPE_CONFIG");
        command.rev = 7L;
        assertRefused(command, "Stale write of STRIPE_CONFIG: expected revision 7 but it is revision 1; read it "
                + "again and retry");
        assertTrue(kit.globs().exists("STRIPE_CONFIG"));
    }

    @Test
    void configDeleteChecksNamesUnlessNoCheck() throws Exception {
        set("OTHER", "1");
        assertRefused(delete("OTHER"), "Config OTHER not recognized, must be in ['META_CONFIG', 'STRIPE_CONFIG']!");
        ConfigDeleteCommand command = delete("OTHER");
        command.noCheck = true;
        command.execute();
        assertFalse(kit.globs().exists("OTHER"));
    }

    @Test
    void configExistsTellsStoredFromAbsentForAnyName() throws Exception {
        set("OTHER", "null");
        for (String name : List.of("OTHER", "ABSENT", "not a name")) {
            ConfigExistsCommand command = new ConfigExistsCommand();
            command.configApi = kit.configApi();
            command.out = output.stream;
            command.name = name;
            command.execute();
        }
        assertEquals("true\nfalse\nfalse\n", output.text());
    }

    @Test
    void configIndexListsValidNamesAndWhetherTheyAreStored() {
        ConfigIndexCommand command = new ConfigIndexCommand();
        command.configApi = kit.configApi();
        command.out = output.stream;
        command.execute();
        String table = output.table();
        assertTrue(table.lines().anyMatch(l -> l.matches("META_CONFIG\\s+\\| true\\s*")), table);
        assertTrue(table.lines().anyMatch(l -> l.matches("STRIPE_CONFIG\\s+\\| true\\s*")), table);
    }

    @Test
    void configListListsStoredValidNamesOnly() {
        set("OTHER", "1");
        ConfigListCommand command = new ConfigListCommand();
        command.configApi = kit.configApi();
        command.out = output.stream;
        command.execute();
        String table = output.table();
        assertTrue(table.contains("STRIPE_CONFIG") && table.contains("META_CONFIG"), table);
        assertFalse(table.contains("OTHER"), table);
    }

    @Test
    void theCompleterOffersValidAndStoredNames() {
        set("STRIPE_MANIFEST", "{}");
        ConfigNameCompleter completer = new ConfigNameCompleter();
        completer.configApi = kit.configApi();
        assertEquals(List.of("STRIPE_CONFIG"), complete(completer, "STRIPE"), "without a store: valid names only");
        completer.globStore = kit.globs();
        assertEquals(List.of("STRIPE_CONFIG", "STRIPE_MANIFEST"), complete(completer, "STRIPE"));
    }

    static List<String> complete(org.apache.karaf.shell.api.console.Completer completer, String prefix) {
        List<String> candidates = new ArrayList<>();
        completer.complete(null, new FakeCommandLine("jsorc:x", prefix), candidates);
        return candidates.stream().map(String::strip).sorted().toList();
    }
}
