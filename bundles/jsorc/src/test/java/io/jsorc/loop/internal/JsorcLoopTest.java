package io.jsorc.loop.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jsorc.api.config.Origin;
import io.jsorc.api.event.GlobEvent;
import io.jsorc.api.spi.ManifestApplier;
import io.jsorc.meta.internal.MetaServiceImpl;
import io.jsorc.testkit.TestKit;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The DS component on the test kit's MetaService, as DS wires it: real thread, real time (bounded waits). */
class JsorcLoopTest {

    private final TestKit kit = TestKit.create();
    private final JsorcLoop loop = new JsorcLoop(kit.meta());

    @AfterEach
    void close() {
        loop.close();
        kit.close();
    }

    private void automation(String json) {
        kit.configApi().configSet("META_CONFIG", json, true, null, TestKit.TEST);
        assertTrue(kit.meta().refresh("meta"));
    }

    private static GlobEvent written(String glob, String source) {
        return new GlobEvent(glob, 1, 2, Origin.local("someone", source), Instant.now());
    }

    @Test
    void boundToMetaServiceItRunsWhileAutomationIsOnAndAnswersForItsServices() throws Exception {
        ((MetaServiceImpl) kit.meta()).addAutomationProvider(loop);
        assertFalse(loop.isRunning(), "META_CONFIG says off");
        assertTrue(loop.supervision("kept").isEmpty());
        automation("{\"automation\":true,\"keep_alive\":[\"kept\"],\"backoff_interval\":600}");
        assertTrue(loop.isRunning());
        kit.register("kept", () -> new LoopTest.Flaky(new AtomicInteger()));
        await("the first tick, 1 s after automation went on").atMost(Duration.ofSeconds(10))
                .until(() -> kit.meta().getService("kept", kit.hook()).isRunning());
        assertTrue(loop.status().running());
        assertEquals("kept", loop.supervision("kept").orElseThrow().name());
        assertEquals(List.of("kept: RUNNING, left alone"), loop.check().actions());
        assertTrue(loop.status().ticks() >= 2);
        assertTrue(loop.supervision("other").isEmpty(), "not in keep_alive");
    }

    @Test
    void onlyAnOperatorsOrAFilesWriteOfItsGlobLiftsAQuarantine() throws Exception {
        ((MetaServiceImpl) kit.meta()).addAutomationProvider(loop);
        automation("{\"automation\":true,\"keep_alive\":[\"doomed\"],\"backoff_interval\":600,\"crash_loop_limit\":1}");
        kit.register("doomed", () -> new LoopTest.Flaky(new AtomicInteger(Integer.MAX_VALUE)));
        loop.check();
        assertTrue(loop.supervision("doomed").orElseThrow().quarantined());
        loop.globChanged(written("DOOMED_CONFIG", "default"));
        loop.globChanged(written("DOOMED_CONFIG", "service"));
        assertTrue(loop.supervision("doomed").orElseThrow().quarantined(), "the service's own writes do not");
        loop.globChanged(written("DOOMED_CONFIG", "console"));
        assertFalse(loop.supervision("doomed").orElseThrow().quarantined(), "an operator's write does");
        loop.check();
        assertTrue(loop.supervision("doomed").orElseThrow().quarantined());
        loop.serviceRefreshed("meta");
        assertFalse(loop.supervision("doomed").orElseThrow().quarantined(), "service_refresh meta forgets all");
    }

    @Test
    void aBoundManifestApplierIsItsClusterSideUntilUnbound() {
        ManifestApplier applier = Appliers.of("test cluster",
                (service, manifest, ns) -> new ManifestApplier.Applied(true, "ok"));
        loop.bindApplier(applier);
        assertEquals("test cluster", loop.status().cluster());
        loop.unbindApplier(Appliers.of("another", (service, manifest, ns) -> null));
        assertEquals("test cluster", loop.status().cluster(), "unbinding another one changes nothing");
        loop.unbindApplier(applier);
        assertTrue(loop.status().cluster().startsWith("Kubernetes is not configured"));
    }

    @Test
    void afterCloseNoCheckRunsAndNoThreadIsLeft() {
        ((MetaServiceImpl) kit.meta()).addAutomationProvider(loop);
        automation("{\"automation\":true,\"keep_alive\":[],\"backoff_interval\":1}");
        await("the loop's thread ran a tick").atMost(Duration.ofSeconds(10)).until(() -> loop.status().ticks() > 0);
        loop.close();
        assertFalse(loop.isRunning());
        assertFalse(loop.status().running());
        IllegalStateException refused = assertThrows(IllegalStateException.class, loop::check);
        assertEquals("The JsOrc loop is stopping: no check", refused.getMessage());
        assertEquals(List.of(), Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("jsorc/loop") && t.isAlive()).toList());
    }
}
