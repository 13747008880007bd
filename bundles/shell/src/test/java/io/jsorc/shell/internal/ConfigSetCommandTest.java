package io.jsorc.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jsorc.api.config.GlobException;
import io.jsorc.api.config.Origin;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivilegedExceptionAction;
import javax.security.auth.Subject;
import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigSetCommandTest extends ShellKit {

    static final String JSON = "{\"enabled\":true,\"key\":\"sk_test_x\"}";

    @BeforeEach
    void registerStripe() {
        kit.register("stripe", Painter::new);
    }

    ConfigSetCommand command(String name, String json) {
        ConfigSetCommand command = new ConfigSetCommand();
        command.configApi = kit.configApi();
        command.out = output.stream;
        command.name = name;
        command.json = json;
        return command;
    }

    String stored(String name) {
        return kit.globs().get(name).map(v -> v.json()).orElse(null);
    }

    @Test
    void storesTheValueAndPrintsTheOriginalsMessage() throws Exception {
        command("STRIPE_CONFIG", "{ \"enabled\" : true, \"key\" : \"sk_test_x\" }").execute();
        assertEquals(JSON, stored("STRIPE_CONFIG"));
        assertEquals("Config of 'STRIPE_CONFIG' to '" + JSON.replace("sk_test_x", "********") + "' set!\n",
                output.text(), "the original's message, the secret masked");
    }

    @Test
    void singleQuotesLeftOnTheArgumentAreRemoved() throws Exception {
        command("STRIPE_CONFIG", "'" + JSON + "'").execute();
        assertEquals(JSON, stored("STRIPE_CONFIG"));
    }

    @Test
    void valueIsReadFromFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("stripe.json");
        Files.writeString(file, "  " + JSON + "\n", StandardCharsets.UTF_8);
        ConfigSetCommand command = command("STRIPE_CONFIG", null);
        command.file = file.toString();
        command.execute();
        assertEquals(JSON, stored("STRIPE_CONFIG"));
    }

    @Test
    void aMissingFileIsRefusedInOneLine(@TempDir Path dir) {
        ConfigSetCommand command = command("STRIPE_CONFIG", null);
        command.file = dir.resolve("nope.json").toString();
        assertRefused(command, "Cannot read " + dir.resolve("nope.json") + ": no such file");
    }

    @Test
    void argumentAndFileTogetherAreRefused(@TempDir Path dir) {
        ConfigSetCommand command = command("STRIPE_CONFIG", JSON);
        command.file = dir.resolve("x.json").toString();
        String before = stored("STRIPE_CONFIG");
        assertRefused(command, "Give the JSON either as argument or with --file, not both.");
        assertEquals(before, stored("STRIPE_CONFIG"));
    }

    @Test
    void aMissingValueIsRefused() {
        assertRefused(command("STRIPE_CONFIG", null), "A JSON value (single-quoted) or --file PATH is required.");
    }

    @Test
    void aStaleRevisionIsRefusedAndChangesNothing() {
        String before = stored("STRIPE_CONFIG");
        ConfigSetCommand command = command("STRIPE_CONFIG", JSON);
        command.rev = 0L;
        assertRefused(command, "Stale write of STRIPE_CONFIG: expected absent but it is revision 1; read it again "
                + "and retry");
        assertEquals(before, stored("STRIPE_CONFIG"));
    }

    @Test
    void theMatchingRevisionIsPassedThrough() throws Exception {
        ConfigSetCommand command = command("STRIPE_CONFIG", JSON);
        command.rev = 1L;
        command.execute();
        assertEquals(JSON, stored("STRIPE_CONFIG"));
        assertEquals(2, kit.globs().get("STRIPE_CONFIG").orElseThrow().revision());
    }

    @Test
    void aNameOutsideTheIndexIsRefusedUnlessNoCheck() throws Exception {
        assertRefused(command("STRIPE_MANIFEST", "{}"),
                "Config STRIPE_MANIFEST not recognized, must be in ['META_CONFIG', 'STRIPE_CONFIG']!");
        assertFalse(kit.globs().exists("STRIPE_MANIFEST"));
        ConfigSetCommand command = command("STRIPE_MANIFEST", "{}");
        command.noCheck = true;
        command.execute();
        assertEquals("{}", stored("STRIPE_MANIFEST"));
    }

    /** Defect 12: a 10,000-deep JSON is refused in one line, as any bad JSON. */
    @Test
    void aDeeplyNestedValueIsRefusedInOneLine() {
        String deep = "[".repeat(10_000) + "]".repeat(10_000);
        ConfigSetCommand command = command("DEEP", deep);
        command.noCheck = true;
        Exception e = assertThrows(Exception.class, command::execute);
        assertEquals("CommandException", e.getClass().getSimpleName());
        assertTrue(e.getMessage().startsWith("Value of DEEP is not valid JSON: Document nesting depth (1001) exceeds "
                + "the maximum allowed"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line");
        assertFalse(kit.globs().exists("DEEP"));
    }

    /** Defect 13: a value over the size limit is refused naming the limit; a long success echo is cut. */
    @Test
    void aValueOverTheLimitIsRefusedAndALongEchoIsCut() throws Exception {
        String tooBig = "{\"k\":\"" + "x".repeat(1024 * 1024) + "\"}";
        ConfigSetCommand refused = command("STRIPE_CONFIG", tooBig);
        Exception e = assertThrows(Exception.class, refused::execute);
        assertEquals("CommandException", e.getClass().getSimpleName());
        assertTrue(e.getMessage().contains("over the limit of 1048576 bytes (1 MiB)"), e.getMessage());
        command("STRIPE_CONFIG", "{\"k\":\"" + "y".repeat(10_000) + "\"}").execute();
        assertTrue(output.text().length() < 300, output.text());
        assertTrue(output.text().endsWith("... (10008 characters)' set!\n"), output.text());
    }

    @Test
    void aFailingStoreIsNotRefusedInputAndGoesOnAsItIs() {
        ConfigSetCommand command = command("STRIPE_CONFIG", JSON);
        command.configApi = new io.jsorc.api.config.ConfigApi() {
            @Override
            public java.util.Optional<io.jsorc.api.config.GlobValue> configGet(String name, boolean doCheck) {
                return java.util.Optional.empty();
            }

            @Override
            public io.jsorc.api.config.ConfigResult configSet(String name, String json, boolean doCheck, Long rev,
                    Origin origin) {
                throw new GlobException(GlobException.Reason.STORAGE, "Glob storage failed to write: disk full");
            }

            @Override
            public io.jsorc.api.config.ConfigResult configUpdate(String name, String key, String json,
                    boolean doCheck, Long rev, Origin origin) {
                throw new GlobException(GlobException.Reason.STORAGE, "Glob storage failed to write: disk full");
            }

            @Override
            public java.util.List<String> configList() {
                return java.util.List.of();
            }

            @Override
            public java.util.List<String> configIndex() {
                return java.util.List.of();
            }

            @Override
            public boolean configExists(String name) {
                return false;
            }

            @Override
            public io.jsorc.api.config.ConfigResult configDelete(String name, boolean doCheck, Long rev,
                    Origin origin) {
                return null;
            }

            @Override
            public java.util.List<io.jsorc.api.config.StoredGlob> configHistory(String name, boolean doCheck) {
                return java.util.List.of();
            }

            @Override
            public io.jsorc.api.config.ConfigResult configRollback(String name, long revision, boolean doCheck,
                    Long rev, Origin origin) {
                return null;
            }
        };
        GlobException e = assertThrows(GlobException.class, command::execute);
        assertEquals(GlobException.Reason.STORAGE, e.reason());
    }

    @Test
    void theOriginIsTheJaasUserOnTheConsole() throws Exception {
        Subject subject = new Subject();
        subject.getPrincipals().add(new RolePrincipal("admin"));
        subject.getPrincipals().add(new UserPrincipal("alice"));
        @SuppressWarnings("removal")
        Object ignored = Subject.doAs(subject, (PrivilegedExceptionAction<Object>) () ->
                command("STRIPE_CONFIG", JSON).execute());
        assertEquals(Origin.local("alice", "console"), kit.globs().get("STRIPE_CONFIG").orElseThrow().stored().origin());
    }

    @Test
    void theOriginWithoutASubjectIsKaraf() throws Exception {
        command("STRIPE_CONFIG", JSON).execute();
        assertEquals(Origin.local("karaf", "console"), kit.globs().get("STRIPE_CONFIG").orElseThrow().stored().origin());
    }
}
