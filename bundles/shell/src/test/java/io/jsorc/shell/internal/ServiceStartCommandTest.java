package io.jsorc.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jsorc.api.ServiceState;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServiceStartCommandTest {

    private final FakeMetaService meta = new FakeMetaService();
    private final Output output = new Output();

    private ServiceStartCommand command(String name) {
        ServiceStartCommand command = new ServiceStartCommand();
        command.meta = meta;
        command.out = output.stream;
        command.name = name;
        return command;
    }

    @Test
    void enabledServiceIsStartedAndItsStatePrinted() {
        meta.with(FakeMetaService.info("stripe", ServiceState.NOT_STARTED, true, null));
        command("stripe").execute();
        assertEquals(List.of("stripe"), meta.started);
        assertEquals("stripe is RUNNING\n", output.text());
    }

    @Test
    void failedServiceIsLeftAloneAndRefreshIsSuggested() {
        meta.with(FakeMetaService.info("stripe", ServiceState.FAILED, true, "java.lang.IllegalStateException: boom"));
        command("stripe").execute();
        assertEquals(List.of(), meta.started);
        assertEquals("stripe has FAILED: java.lang.IllegalStateException: boom\n"
                + "A FAILED service is not started again; use jsorc:service-refresh stripe to retry.\n", output.text());
    }

    @Test
    void startThatFailsNowSaysSoToo() {
        meta.startResult = ServiceState.FAILED;
        meta.with(FakeMetaService.info("stripe", ServiceState.NOT_STARTED, true, null));
        command("stripe").execute();
        assertEquals("stripe has FAILED\n"
                + "A FAILED service is not started again; use jsorc:service-refresh stripe to retry.\n", output.text());
    }

    @Test
    void disabledServiceSaysHowToEnableIt() {
        meta.with(FakeMetaService.info("stripe", ServiceState.NOT_STARTED, false, null));
        command("stripe").execute();
        assertEquals("stripe is NOT_STARTED: it is disabled. Set \"enabled\": true in STRIPE_CONFIG "
                + "(jsorc:config-set) and run jsorc:service-refresh stripe.\n", output.text());
    }

    @Test
    void unknownNameFails() {
        Exception e = assertThrows(IllegalArgumentException.class, () -> command("nope").execute());
        assertEquals("nope is not a valid service.", e.getMessage());
    }
}
