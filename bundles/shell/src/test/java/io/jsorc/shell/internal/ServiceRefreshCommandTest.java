package io.jsorc.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jsorc.api.ServiceState;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServiceRefreshCommandTest {

    private final FakeMetaService meta = new FakeMetaService();
    private final Output output = new Output();

    private ServiceRefreshCommand command(String name) {
        ServiceRefreshCommand command = new ServiceRefreshCommand();
        command.meta = meta;
        command.out = output.stream;
        command.name = name;
        return command;
    }

    @Test
    void refreshGoesThroughMetaServiceAndPrintsTheNewState() {
        meta.with(FakeMetaService.info("stripe", ServiceState.FAILED, true, "x"));
        command("stripe").execute();
        assertEquals(List.of("stripe"), meta.refreshed);
        assertEquals("stripe refreshed: RUNNING\n", output.text());
    }

    @Test
    void unknownNameFailsWithTheOriginalText() {
        Exception e = assertThrows(IllegalArgumentException.class, () -> command("nope").execute());
        assertEquals("nope is not a valid service. Can not refresh config.", e.getMessage());
        assertEquals("", output.text());
    }
}
