package io.jsorc.api;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The seed's life-cycle rules, one test each, on an unbound (direct) instance. */
class CommonServiceTest {

    /** A configurable test service. */
    static class Svc extends CommonService<AutoCloseable> {
        Map<String, Object> config = new LinkedHashMap<>(Map.of("enabled", true));
        Map<String, Object> manifest;
        RuntimeException runError;
        RuntimeException postRunError;
        boolean returnNull;
        final AtomicInteger runs = new AtomicInteger();
        final AtomicInteger closes = new AtomicInteger();
        final AtomicReference<Throwable> failedWith = new AtomicReference<>();

        @Override
        protected Map<String, Object> buildConfig(Hook hook) {
            return new LinkedHashMap<>(config);
        }

        @Override
        protected Map<String, Object> buildManifest(Hook hook) {
            return manifest;
        }

        @Override
        protected AutoCloseable run(Hook hook) {
            runs.incrementAndGet();
            if (runError != null) {
                throw runError;
            }
            return returnNull ? null : closes::incrementAndGet;
        }

        @Override
        protected void postRun(Hook hook) {
            if (postRunError != null) {
                throw postRunError;
            }
        }

        @Override
        protected void onFailed(Throwable error) {
            failedWith.set(error);
        }
    }

    @Test
    void newInstanceIsNotStartedDisabledQuietWithoutApp() {
        Svc svc = new Svc();
        assertEquals(ServiceState.NOT_STARTED, svc.getState());
        assertFalse(svc.isEnabled());
        assertTrue(svc.isQuiet());
        assertNull(svc.getApp());
        assertTrue(svc.isReady());
    }

    @Test
    void settingsPopEnabledAndQuietOutOfTheConfig() {
        Svc svc = new Svc();
        svc.config = new LinkedHashMap<>(Map.of("enabled", true, "quiet", true, "host", "h"));
        svc.buildSettings(null);
        assertTrue(svc.isEnabled());
        assertTrue(svc.isQuiet());
        assertEquals(Map.of("host", "h"), svc.getConfig());
    }

    @Test
    void quietDefaultsToFalseOnceSettingsAreBuilt() {
        Svc svc = new Svc();
        svc.buildSettings(null);
        assertFalse(svc.isQuiet());
    }

    @Test
    void manifestReservedKeysMoveToManifestMeta() {
        Svc svc = new Svc();
        svc.manifest = new LinkedHashMap<>(Map.of("Service", List.of(Map.of("a", 1)),
                "__OLD_CONFIG__", Map.of("Service", List.of("x")), "__UNSAFE_PARAPHRASE__", "I know what I'm doing!"));
        svc.buildSettings(null);
        assertEquals(Map.of("Service", List.of(Map.of("a", 1))), svc.getManifest());
        assertEquals(Map.of("Service", List.of("x")), svc.getManifestMeta().get("__OLD_CONFIG__"));
        assertEquals("I know what I'm doing!", svc.getManifestMeta().get("__UNSAFE_PARAPHRASE__"));
    }

    @Test
    void settingsErrorFallsBackToDisabledWithoutManifest() {
        Svc svc = new Svc();
        svc.manifest = Map.of("Service", List.of());
        svc.config = new LinkedHashMap<>(Map.of("enabled", "yes"));
        svc.buildSettings(null);
        assertFalse(svc.isEnabled());
        assertNull(svc.getManifest());
        svc.start(null);
        assertEquals(ServiceState.NOT_STARTED, svc.getState());
        assertEquals(0, svc.runs.get());
    }

    @Test
    void startRunsStartedRunRunningPostRunAndReturnsItself() {
        Svc svc = new Svc();
        svc.buildSettings(null);
        assertSame(svc, svc.start(null));
        assertEquals(ServiceState.RUNNING, svc.getState());
        assertTrue(svc.isRunning());
        assertEquals(1, svc.getStartCount());
    }

    @Test
    void disabledServiceStaysNotStartedSilently() {
        Svc svc = new Svc();
        svc.config = new LinkedHashMap<>(Map.of("enabled", false));
        svc.buildSettings(null);
        svc.start(null);
        assertEquals(ServiceState.NOT_STARTED, svc.getState());
        assertEquals(0, svc.runs.get());
    }

    @Test
    void startActsOnlyWhenNotStartedAndWithoutApp() {
        Svc svc = new Svc();
        svc.buildSettings(null);
        svc.start(null);
        svc.start(null);
        assertEquals(1, svc.runs.get());
    }

    @Test
    void runFailureMakesItFailedWithoutAppAndCallsOnFailed() {
        Svc svc = new Svc();
        svc.buildSettings(null);
        svc.runError = new IllegalStateException("boom");
        svc.start(null);
        assertTrue(svc.hasFailed());
        assertNull(svc.getApp());
        assertSame(svc.runError, svc.failedWith.get());
        assertEquals("java.lang.IllegalStateException: boom", svc.getLastError());
        assertTrue(svc.getLastErrorTime() != null);
    }

    @Test
    void postRunFailureMakesItFailedAndClosesTheApp() {
        Svc svc = new Svc();
        svc.buildSettings(null);
        svc.postRunError = new IllegalStateException("late");
        svc.start(null);
        assertTrue(svc.hasFailed());
        assertNull(svc.getApp());
        assertEquals(1, svc.closes.get());
    }

    @Test
    void runReturningNoAppIsAFailure() {
        Svc svc = new Svc();
        svc.buildSettings(null);
        svc.returnNull = true;
        svc.start(null);
        assertTrue(svc.hasFailed());
        assertTrue(svc.getLastError().contains("run returned no app"));
    }

    @Test
    void failedServiceNeverRestartsByItself() {
        Svc svc = new Svc();
        svc.buildSettings(null);
        svc.runError = new IllegalStateException("boom");
        svc.start(null);
        svc.runError = null;
        svc.start(null);
        assertTrue(svc.hasFailed());
        assertEquals(1, svc.runs.get());
    }

    @Test
    void resetIsTheWayBackFromFailed() {
        Svc svc = new Svc();
        svc.buildSettings(null);
        svc.runError = new IllegalStateException("boom");
        svc.start(null);
        svc.runError = null;
        svc.reset(null, true);
        assertTrue(svc.isRunning());
        assertEquals(1, svc.getResetCount());
    }

    @Test
    void resetClosesTheAppAndRereadsSettings() {
        Svc svc = new Svc();
        svc.buildSettings(null);
        svc.start(null);
        svc.config = new LinkedHashMap<>(Map.of("enabled", true, "color", "red"));
        svc.reset(null, false);
        assertEquals(1, svc.closes.get());
        assertEquals(ServiceState.NOT_STARTED, svc.getState());
        assertEquals("red", svc.getConfig().get("color"));
    }

    @Test
    void isRunningNeedsRunningStateAndAnApp() {
        Svc svc = new Svc();
        assertFalse(svc.isRunning());
        svc.buildSettings(null);
        svc.start(null);
        svc.failed(new IllegalStateException("x"));
        assertFalse(svc.isRunning());
        assertEquals(ServiceState.FAILED, svc.getState());
    }

    @Test
    void daemonsAreNamedAfterTheServiceAndStopWithInterruptAndStopper() throws Exception {
        CountDownLatch forever = new CountDownLatch(1);
        AtomicBoolean stopperCalled = new AtomicBoolean();
        Svc svc = new Svc() {
            @Override
            protected void postRun(Hook hook) {
                spawnDaemon("worker", () -> {
                    try {
                        forever.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }, () -> stopperCalled.set(true));
            }
        };
        svc.buildSettings(null);
        svc.start(null);
        assertEquals(List.of("worker"), svc.getDaemons());
        Thread worker = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("jsorc/" + svc.serviceName() + "/worker")).findFirst().orElseThrow();
        svc.reset(null, false);
        assertFalse(worker.isAlive());
        assertTrue(stopperCalled.get());
        assertEquals(List.of(), svc.getDaemons());
    }

    @Test
    void spawnDaemonSkipsANameThatIsAlive() {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger spawned = new AtomicInteger();
        Svc svc = new Svc() {
            @Override
            protected void postRun(Hook hook) {
                Runnable body = () -> {
                    spawned.incrementAndGet();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                };
                Thread first = spawnDaemon("d", body);
                assertSame(first, spawnDaemon("d", body));
            }
        };
        svc.buildSettings(null);
        svc.start(null);
        await("daemon body ran").until(() -> spawned.get() == 1);
        svc.terminateDaemon("d");
        assertEquals(1, spawned.get());
        assertEquals(List.of(), svc.getDaemons());
    }

    @Test
    void anErrorFromRunIsAFailureToo() {
        Svc svc = new Svc() {
            @Override
            protected AutoCloseable run(Hook hook) {
                throw new java.util.ServiceConfigurationError("no provider");
            }
        };
        svc.buildSettings(null);
        svc.start(null);
        assertTrue(svc.hasFailed());
        assertTrue(svc.getLastError().contains("no provider"));
    }

    @Test
    void aClosedInstanceNeverStartsAgain() {
        Svc svc = new Svc();
        svc.buildSettings(null);
        svc.start(null);
        svc.close();
        assertEquals(1, svc.closes.get());
        svc.reset(null, true);
        assertFalse(svc.isRunning());
        assertEquals(1, svc.runs.get());
    }

    @Test
    void daemonsAreRefusedOutsideAStart() {
        Svc svc = new Svc();
        IllegalStateException refused = null;
        try {
            svc.spawnDaemon("late", () -> { });
        } catch (IllegalStateException e) {
            refused = e;
        }
        assertTrue(refused != null && refused.getMessage().contains("NOT_STARTED"));
        assertEquals(List.of(), svc.getDaemons());
    }

    @Test
    void proxyServiceNeverRuns() {
        CommonService<Object> proxy = CommonService.proxy("nothing");
        proxy.buildSettings(null);
        proxy.start(null);
        assertFalse(proxy.isEnabled());
        assertEquals(ServiceState.NOT_STARTED, proxy.getState());
    }

    @Test
    void stateCodesAreTheOriginals() {
        assertEquals(-1, ServiceState.FAILED.code());
        assertEquals(0, ServiceState.NOT_STARTED.code());
        assertEquals(1, ServiceState.STARTED.code());
        assertEquals(2, ServiceState.RUNNING.code());
        assertEquals(4, ServiceState.values().length);
    }
}
