package io.jsorc.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jsorc.api.ServiceInfo;
import io.jsorc.api.ServiceState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServiceInfoCommandTest {

    private final FakeMetaService meta = new FakeMetaService();
    private final Output output = new Output();

    private ServiceInfoCommand command(String name) {
        ServiceInfoCommand command = new ServiceInfoCommand();
        command.meta = meta;
        command.out = output.stream;
        command.name = name;
        return command;
    }

    @Test
    void everyFieldIsPrinted() {
        meta.with(new ServiceInfo("stripe", ServiceState.FAILED, true, true, "io.example.stripe 1.2.3", 7, 99L,
                List.of("other.bundle 1.0.0 [ranking=0, id=100]"), "STRIPE_CONFIG", "STRIPE_MANIFEST",
                "java.lang.IllegalStateException: key is required!", Instant.parse("2026-01-02T03:04:05Z"),
                "java.lang.IllegalStateException: key is required!\n\tat io.example.Stripe.run(Stripe.java:9)",
                3, 2, List.of("heartbeat"), Duration.ofMillis(12), 1));
        command("stripe").execute();
        String text = output.text();
        for (String expected : List.of("name", "stripe", "FAILED (-1)", "enabled", "quiet", "io.example.stripe 1.2.3",
                "ranking", "7", "service id", "99", "other.bundle 1.0.0 [ranking=0, id=100]", "STRIPE_CONFIG",
                "STRIPE_MANIFEST", "key is required!", "2026-01-02T03:04:05Z", "start count", "reset count",
                "heartbeat", "PT0.012S", "outstanding", "at io.example.Stripe.run(Stripe.java:9)")) {
            assertTrue(text.contains(expected), () -> expected + " missing in\n" + text);
        }
    }

    @Test
    void absentValuesShowAsDash() {
        meta.with(FakeMetaService.info("meta", ServiceState.RUNNING, true, null));
        command("meta").execute();
        assertTrue(output.table().lines().anyMatch(l -> l.matches("manifest glob\\s+\\| -")), output.table());
    }

    @Test
    void unknownNameFails() {
        Exception e = assertThrows(IllegalArgumentException.class, () -> command("nope").execute());
        assertEquals("nope is not a valid service.", e.getMessage());
        assertEquals("", output.text());
    }
}
