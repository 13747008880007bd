package io.jsorc.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jsorc.api.config.GlobException;
import org.junit.jupiter.api.Test;

class ConfigGetCommandTest {

    private final FakeConfigApi api = new FakeConfigApi();
    private final Output output = new Output();

    private ConfigGetCommand command(String name, boolean noCheck) {
        ConfigGetCommand command = new ConfigGetCommand();
        command.configApi = api;
        command.out = output.stream;
        command.name = name;
        command.noCheck = noCheck;
        return command;
    }

    @Test
    void storedJsonTextIsPrintedExactly() {
        api.with("STRIPE_CONFIG", "{\"enabled\": true, \"n\": 1.0, \"k\": null}");
        command("STRIPE_CONFIG", false).execute();
        assertEquals("{\"enabled\": true, \"n\": 1.0, \"k\": null}\n", output.text());
    }

    @Test
    void absentGlobPrintsNothing() {
        command("STRIPE_CONFIG", false).execute();
        assertEquals("", output.text());
    }

    @Test
    void nameOutsideTheIndexFails() {
        api.with("STRIPE_MANIFEST", "{}");
        GlobException e = assertThrows(GlobException.class, () -> command("STRIPE_MANIFEST", false).execute());
        assertEquals("Config STRIPE_MANIFEST not recognized, must be in [META_CONFIG, STRIPE_CONFIG]!", e.getMessage());
        assertEquals("", output.text());
    }

    @Test
    void noCheckReadsAnyName() {
        api.with("STRIPE_MANIFEST", "{}");
        command("STRIPE_MANIFEST", true).execute();
        assertEquals("{}\n", output.text());
    }
}
