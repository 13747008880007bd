package io.jsorc.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigIndexCommandTest {

    @Test
    void validNamesAreListedWithWhetherStored() {
        FakeConfigApi api = new FakeConfigApi().with("STRIPE_CONFIG", "{}");
        Output output = new Output();
        ConfigIndexCommand command = new ConfigIndexCommand();
        command.configApi = api;
        command.out = output.stream;
        command.execute();
        List<String> rows = output.table().lines().skip(2).map(l -> l.replaceAll("\\s+", " ").strip()).toList();
        assertEquals(List.of("META_CONFIG | false", "STRIPE_CONFIG | true"), rows);
    }
}
