package io.jsorc.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jsorc.api.config.GlobException;
import io.jsorc.api.config.Origin;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivilegedExceptionAction;
import java.util.Set;
import javax.security.auth.Subject;
import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigSetCommandTest {

    private static final String JSON = "{\"enabled\":true,\"key\":\"sk_test_x\"}";

    private final FakeConfigApi api = new FakeConfigApi();
    private final Output output = new Output();

    private ConfigSetCommand command(String name, String json) {
        ConfigSetCommand command = new ConfigSetCommand();
        command.configApi = api;
        command.out = output.stream;
        command.name = name;
        command.json = json;
        return command;
    }

    @Test
    void storesTheValueAndPrintsTheApiMessage() throws Exception {
        command("STRIPE_CONFIG", JSON).execute();
        assertEquals(JSON, api.stored.get("STRIPE_CONFIG"));
        assertEquals("Config of 'STRIPE_CONFIG' to '" + JSON + "' set!\n", output.text());
    }

    @Test
    void singleQuotesLeftOnTheArgumentAreRemoved() throws Exception {
        command("STRIPE_CONFIG", "'" + JSON + "'").execute();
        assertEquals(JSON, api.stored.get("STRIPE_CONFIG"));
    }

    @Test
    void valueIsReadFromFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("stripe.json");
        Files.writeString(file, "  " + JSON + "\n", StandardCharsets.UTF_8);
        ConfigSetCommand command = command("STRIPE_CONFIG", null);
        command.file = file.toString();
        command.execute();
        assertEquals(JSON, api.stored.get("STRIPE_CONFIG"));
    }

    @Test
    void argumentAndFileTogetherFail(@TempDir Path dir) {
        ConfigSetCommand command = command("STRIPE_CONFIG", JSON);
        command.file = dir.resolve("x.json").toString();
        assertThrows(IllegalArgumentException.class, command::execute);
        assertEquals(Set.of(), api.stored.keySet());
    }

    @Test
    void missingValueFails() {
        Exception e = assertThrows(IllegalArgumentException.class, () -> command("STRIPE_CONFIG", null).execute());
        assertEquals("A JSON value (single-quoted) or --file PATH is required.", e.getMessage());
    }

    @Test
    void staleRevisionFailsAndChangesNothing() {
        api.with("STRIPE_CONFIG", "{\"enabled\":false}");
        ConfigSetCommand command = command("STRIPE_CONFIG", JSON);
        command.rev = 0L;
        GlobException e = assertThrows(GlobException.class, command::execute);
        assertEquals(GlobException.Reason.STALE_REVISION, e.reason());
        assertEquals("{\"enabled\":false}", api.stored.get("STRIPE_CONFIG"));
        assertEquals("", output.text());
    }

    @Test
    void matchingRevisionIsPassedThrough() throws Exception {
        api.with("STRIPE_CONFIG", "{\"enabled\":false}");
        ConfigSetCommand command = command("STRIPE_CONFIG", JSON);
        command.rev = 1L;
        command.execute();
        assertEquals(JSON, api.stored.get("STRIPE_CONFIG"));
    }

    @Test
    void nameOutsideTheIndexFailsUnlessNoCheck() throws Exception {
        assertThrows(GlobException.class, () -> command("STRIPE_MANIFEST", "{}").execute());
        assertEquals(Set.of(), api.stored.keySet());
        ConfigSetCommand command = command("STRIPE_MANIFEST", "{}");
        command.noCheck = true;
        command.execute();
        assertEquals("{}", api.stored.get("STRIPE_MANIFEST"));
    }

    @Test
    void originIsTheJaasUserOnTheConsole() throws Exception {
        Subject subject = new Subject();
        subject.getPrincipals().add(new RolePrincipal("admin"));
        subject.getPrincipals().add(new UserPrincipal("alice"));
        @SuppressWarnings("removal")
        Object ignored = Subject.doAs(subject, (PrivilegedExceptionAction<Object>) () ->
                command("STRIPE_CONFIG", JSON).execute());
        assertEquals(Origin.local("alice", "console"), api.lastOrigin);
    }

    @Test
    void originWithoutSubjectIsKaraf() throws Exception {
        command("STRIPE_CONFIG", JSON).execute();
        assertEquals(Origin.local("karaf", "console"), api.lastOrigin);
    }
}
