package io.jsorc.shell.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** config-history, config-diff and config-rollback on one node, without Redis. */
class HistoryCommandsTest extends ShellKit {

    ConfigHistoryCommand history(String name) {
        ConfigHistoryCommand command = new ConfigHistoryCommand();
        command.globs = kit.globs();
        command.out = output.stream;
        command.name = name;
        return command;
    }

    ConfigDiffCommand diff(String name, long from, long to) {
        ConfigDiffCommand command = new ConfigDiffCommand();
        command.globs = kit.globs();
        command.out = output.stream;
        command.name = name;
        command.from = from;
        command.to = to;
        return command;
    }

    ConfigRollbackCommand rollback(String name, long revision) {
        ConfigRollbackCommand command = new ConfigRollbackCommand();
        command.configApi = kit.configApi();
        command.out = output.stream;
        command.name = name;
        command.revision = revision;
        return command;
    }

    void awaitKept(String name, long revision) {
        await("revision " + revision + " of " + name + " kept").atMost(java.time.Duration.ofSeconds(5))
                .until(() -> !kit.globs().history(name).isEmpty()
                        && kit.globs().history(name).get(0).revision() == revision);
    }

    @Test
    void twentyFiveEditsKeepTheLastTwenty() throws Exception {
        for (int i = 1; i <= 25; i++) {
            set("H_CONFIG", "{\"n\":" + i + ",\"api_key\":\"k" + i + "\"}");
        }
        awaitKept("H_CONFIG", 25);
        assertEquals(20, kit.globs().history("H_CONFIG").size());
        assertEquals(6, kit.globs().history("H_CONFIG").get(19).revision(), "the oldest kept");
        history("H_CONFIG").execute();
        String table = output.text();
        assertTrue(table.contains("{\"n\":25,\"api_key\":\"********\"}"), table);
        assertFalse(table.contains("k25"), "secrets masked");
        assertTrue(table.indexOf("25") < table.indexOf("{\"n\":24"), "newest first");
    }

    @Test
    void diffShowsWhatChangedKeyByKeyWithoutSecrets() throws Exception {
        set("D_CONFIG", "{\"a\":1,\"b\":{\"c\":true},\"key\":\"s1\",\"gone\":\"x\"}");
        set("D_CONFIG", "{\"a\":2,\"b\":{\"c\":true,\"d\":[1]},\"key\":\"s2\"}");
        awaitKept("D_CONFIG", 2);
        diff("D_CONFIG", 1, 2).execute();
        assertEquals("~ a: 1 -> 2\n+ b.d: [1]\n~ key: ******** (changed)\n- gone: \"x\"\n", output.text());
        Exception e = assertThrows(Exception.class, () -> diff("D_CONFIG", 1, 9).execute());
        assertEquals("Revision 9 of D_CONFIG is not kept on this node; kept: [2, 1]", e.getMessage());
    }

    @Test
    void diffHidesAKubeconfigAndSecretDocumentsByTheirShape() throws Exception {
        set("K_CONFIG", "{\"kubernetes\":{\"config\":\"/etc/kubeconfig\"}}");
        set("K_CONFIG", "{\"kubernetes\":{\"config\":\"apiVersion: v1 token: t0k3n\"},\"k\":{\"kind\":\"Secret\","
                + "\"data\":{\"p\":\"c2VjcmV0\"}}}");
        awaitKept("K_CONFIG", 2);
        diff("K_CONFIG", 1, 2).execute();
        String text = output.text();
        assertTrue(text.contains("~ kubernetes.config: ******** (changed)"), text);
        assertFalse(text.contains("t0k3n") || text.contains("/etc/kubeconfig") || text.contains("c2VjcmV0"), text);
    }

    @Test
    void aRollbackIsANewRevisionAndBringsBackADeletedGlob() throws Exception {
        set("R_CONFIG", "{\"v\":1}");
        set("R_CONFIG", "{\"v\":2}");
        awaitKept("R_CONFIG", 2);
        rollback("R_CONFIG", 1).execute();
        assertEquals("Config of 'R_CONFIG' rolled back to revision 1: now revision 3 (jsorc:service-refresh applies "
                + "it)\n", output.text());
        assertEquals("{\"v\":1}", kit.globs().get("R_CONFIG").orElseThrow().json());
        awaitKept("R_CONFIG", 3);
        kit.globs().delete("R_CONFIG", null, io.jsorc.testkit.TestKit.TEST);
        rollback("R_CONFIG", 2).execute();
        assertEquals("{\"v\":2}", kit.globs().get("R_CONFIG").orElseThrow().json());
        assertEquals(4, kit.globs().get("R_CONFIG").orElseThrow().revision(), "continues from the deleted revision");
    }

    @Test
    void aNameWithoutHistoryIsOneClearError() {
        Exception e = assertThrows(Exception.class, () -> history("NONE_CONFIG").execute());
        assertEquals("No revision of NONE_CONFIG is kept on this node", e.getMessage());
    }
}
