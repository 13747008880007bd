package io.jsorc.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jsorc.api.ServiceState;
import io.jsorc.loop.internal.JsorcLoop;
import io.jsorc.meta.internal.MetaServiceImpl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** jsorc:status, jsorc:check and what service-list and service-info show of the JsOrc loop, on the real loop. */
class LoopCommandsTest extends ShellKit {

    private JsorcLoop loop;

    @BeforeEach
    void bindTheLoop() {
        loop = new JsorcLoop(kit.meta());
        ((MetaServiceImpl) kit.meta()).addAutomationProvider(loop);   // as DS binds it: told META_CONFIG at once
    }

    @AfterEach
    void closeTheLoop() {
        loop.close();
    }

    /** config-set META_CONFIG + service-refresh meta. */
    private void automation(String json) {
        set("META_CONFIG", json);
        assertTrue(kit.meta().refresh("meta"));
    }

    private <T extends org.apache.karaf.shell.api.action.Action> T wired(T command) {
        if (command instanceof StatusCommand status) {
            status.loop = loop;
            status.out = output.stream;
        } else if (command instanceof CheckCommand check) {
            check.loop = loop;
            check.out = output.stream;
        } else if (command instanceof ServiceListCommand list) {
            list.meta = kit.meta();
            list.loop = loop;
            list.out = output.stream;
        } else if (command instanceof ServiceInfoCommand info) {
            info.meta = kit.meta();
            info.loop = loop;
            info.out = output.stream;
        }
        return command;
    }

    @Test
    void withoutTheLoopBothCommandsRefuseWithOneLine() {
        StatusCommand status = new StatusCommand();
        status.out = output.stream;
        assertRefused(status, Services.NO_LOOP);
        CheckCommand check = new CheckCommand();
        check.out = output.stream;
        assertRefused(check, Services.NO_LOOP);
    }

    @Test
    void checkRunsATickAndSaysWhatItDidAndStatusShowsIt() throws Exception {
        automation("{\"automation\":true,\"keep_alive\":[\"paint\",\"nothere\"],\"backoff_interval\":300}");
        kit.register("paint", Painter::new);
        awaitState("paint", ServiceState.NOT_STARTED);
        wired(new CheckCommand()).execute();
        String printed = output.text();
        // (the loop's own first tick, 1 s after automation went on, may have come first on a slow machine)
        assertTrue(printed.matches("paint: (restarted: RUNNING|RUNNING, left alone)\n"
                + "nothere: not a service \\(yet\\): waiting for its bundle\n\\(\\d+ ms\\)\n"), printed);
        assertEquals(ServiceState.RUNNING, kit.meta().info("paint").orElseThrow().state());

        Output statusOutput = new Output();
        StatusCommand status = wired(new StatusCommand());
        status.out = statusOutput.stream;
        status.execute();
        String shown = statusOutput.table();
        assertTrue(shown.startsWith("globs:      this node only (Config Admin)\nautomation: on\nlast tick:  "), shown);
        assertTrue(shown.contains("(every 300 s after the previous one ended)"), shown);
        assertTrue(shown.contains("manifests:  Kubernetes is not configured"), shown);
        assertTrue(shown.lines().anyMatch(l -> l.matches("paint\\s+\\| RUNNING\\s+\\| 0 \\(0 in a row\\)\\s+\\| -\\s+\\| no .*")),
                shown);
        assertTrue(shown.lines().anyMatch(l -> l.matches("nothere\\s+\\| -\\s+\\|.*waiting for its bundle.*")), shown);
    }

    @Test
    void aQuarantinedServiceShowsInServiceListAndServiceInfoUntilRefreshed() throws Exception {
        kit.register("paint", Painter::new);
        set("PAINT_CONFIG", "{\"enabled\":true,\"color\":\"red\",\"fail\":true}");   // before the loop's first tick
        automation("{\"automation\":true,\"keep_alive\":[\"paint\"],\"backoff_interval\":300,\"crash_loop_limit\":1}");
        wired(new CheckCommand()).execute();
        assertTrue(output.text().startsWith("paint: restarted: FAILED (java.lang.IllegalStateException: key is required!); "
                + "quarantined after 1 failures within 600 s") || output.text().contains("quarantined since"), output.text());

        Output listed = new Output();
        ServiceListCommand list = wired(new ServiceListCommand());
        list.out = listed.stream;
        list.execute();
        assertTrue(listed.table().lines().anyMatch(l -> l.matches("paint\\s+\\| FAILED \\(quarantined\\)\\s+\\|.*")),
                listed.table());

        Output shown = new Output();
        ServiceInfoCommand info = wired(new ServiceInfoCommand());
        info.name = "paint";
        info.out = shown.stream;
        info.execute();
        assertTrue(shown.table().lines().anyMatch(l -> l.matches("quarantined\\s+\\| since .*service-refresh or a config "
                + "change lifts it.*")), shown.table());

        assertTrue(kit.meta().refresh("paint"));                     // service-refresh paint
        Output after = new Output();
        list.out = after.stream;
        list.execute();
        assertTrue(after.table().lines().anyMatch(l -> l.matches("paint\\s+\\| NOT_STARTED \\(awaiting automation\\)\\s+\\|.*")),
                after.table());
    }
}
