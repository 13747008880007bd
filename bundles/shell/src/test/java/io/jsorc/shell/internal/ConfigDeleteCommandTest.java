package io.jsorc.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jsorc.api.config.GlobException;
import io.jsorc.api.config.Origin;
import org.junit.jupiter.api.Test;

class ConfigDeleteCommandTest {

    private final FakeConfigApi api = new FakeConfigApi();
    private final Output output = new Output();

    private ConfigDeleteCommand command(String name, boolean noCheck) {
        ConfigDeleteCommand command = new ConfigDeleteCommand();
        command.configApi = api;
        command.out = output.stream;
        command.name = name;
        command.noCheck = noCheck;
        return command;
    }

    @Test
    void deletesAndPrintsTheApiMessage() {
        api.with("STRIPE_CONFIG", "{}");
        command("STRIPE_CONFIG", false).execute();
        assertFalse(api.stored.containsKey("STRIPE_CONFIG"));
        assertEquals("STRIPE_CONFIG Deleted.\n", output.text());
        assertEquals(Origin.local("karaf", "console"), api.lastOrigin);
    }

    @Test
    void nameOutsideTheIndexFailsAndChangesNothing() {
        api.with("STRIPE_MANIFEST", "{}");
        assertThrows(GlobException.class, () -> command("STRIPE_MANIFEST", false).execute());
        assertTrue(api.stored.containsKey("STRIPE_MANIFEST"));
        assertEquals("", output.text());
    }

    @Test
    void noCheckDeletesAnyName() {
        api.with("STRIPE_MANIFEST", "{}");
        command("STRIPE_MANIFEST", true).execute();
        assertFalse(api.stored.containsKey("STRIPE_MANIFEST"));
    }
}
