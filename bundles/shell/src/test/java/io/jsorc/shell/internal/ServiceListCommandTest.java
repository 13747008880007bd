package io.jsorc.shell.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jsorc.api.ServiceState;
import org.junit.jupiter.api.Test;

class ServiceListCommandTest {

    private final FakeMetaService meta = new FakeMetaService()
            .with(FakeMetaService.info("meta", ServiceState.RUNNING, true, null))
            .with(FakeMetaService.info("stripe", ServiceState.FAILED, true, "java.lang.IllegalStateException: key is required!"));
    private final Output output = new Output();

    private String run() {
        ServiceListCommand command = new ServiceListCommand();
        command.meta = meta;
        command.out = output.stream;
        command.execute();
        return output.table();
    }

    @Test
    void headerNamesTheSixColumns() {
        String header = run().lines().findFirst().orElseThrow();
        assertTrue(header.matches("Name\\s+\\| State\\s+\\| Enabled \\| Quiet \\| Bundle\\s+\\| Last error\\s*"), header);
    }

    @Test
    void everyServiceIsARowWithStateSettingsAndBundle() {
        String text = run();
        assertTrue(text.lines().anyMatch(l -> l.matches("meta\\s+\\| RUNNING\\s+\\| true\\s+\\| false \\| test.bundle 1.0.0 \\| -\\s*")), text);
    }

    @Test
    void lastErrorIsShown() {
        String text = run();
        assertTrue(text.lines().anyMatch(l -> l.startsWith("stripe") && l.contains("FAILED")
                && l.contains("IllegalStateException: key is required!")), text);
    }
}
