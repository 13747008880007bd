package io.jsorc.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ConfigExistsCommandTest {

    private final FakeConfigApi api = new FakeConfigApi();
    private final Output output = new Output();

    private String run(String name) {
        ConfigExistsCommand command = new ConfigExistsCommand();
        command.configApi = api;
        command.out = output.stream;
        command.name = name;
        command.execute();
        return output.text();
    }

    @Test
    void storedGlobIsTrue() {
        api.with("STRIPE_CONFIG", "{}");
        assertEquals("true\n", run("STRIPE_CONFIG"));
    }

    @Test
    void absentGlobIsFalse() {
        assertEquals("false\n", run("STRIPE_CONFIG"));
    }

    @Test
    void anyNameIsAcceptedWithoutCheck() {
        api.with("NOT_IN_INDEX", "1");
        assertEquals("true\n", run("NOT_IN_INDEX"));
    }
}
