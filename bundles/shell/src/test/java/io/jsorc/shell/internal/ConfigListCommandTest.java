package io.jsorc.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigListCommandTest {

    private final FakeConfigApi api = new FakeConfigApi();
    private final Output output = new Output();

    private List<String> run() {
        ConfigListCommand command = new ConfigListCommand();
        command.configApi = api;
        command.out = output.stream;
        command.execute();
        return output.table().lines().map(String::strip).toList();
    }

    @Test
    void storedValidNamesAreListed() {
        api.with("STRIPE_CONFIG", "{}").with("OTHER_GLOB", "1");
        List<String> lines = run();
        assertEquals("Name", lines.get(0));
        assertEquals(List.of("STRIPE_CONFIG"), lines.subList(2, lines.size()));
    }

    @Test
    void emptyListSaysSo() {
        assertEquals(List.of("Name", "no config stored"), run().stream().filter(l -> !l.matches("-+")).toList());
    }
}
