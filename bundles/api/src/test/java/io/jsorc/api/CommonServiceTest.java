package io.jsorc.api;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jsorc.api.runtime.Binder;
import io.jsorc.api.runtime.InstanceControl;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The seed's life-cycle rules, one test each, on an instance bound to a {@link TestRuntime}. */
class CommonServiceTest {

    /** A configurable test service; its app counts how often it was closed. */
    static class Svc extends CommonService<AutoCloseable> {
        volatile Map<String, Object> config = new LinkedHashMap<>(Map.of("enabled", true));
        volatile Map<String, Object> manifest;
        volatile RuntimeException runError;
        volatile RuntimeException postRunError;
        volatile boolean returnNull;
        final AtomicInteger runs = new AtomicInteger();
        final AtomicInteger closes = new AtomicInteger();
        final AtomicReference<Throwable> failedWith = new AtomicReference<>();
        final AtomicReference<AutoCloseable> lastApp = new AtomicReference<>();

        @Override
        protected Map<String, Object> buildConfig(Hook hook) {
            return config;
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
            AutoCloseable app = closes::incrementAndGet;
            lastApp.set(app);
            return returnNull ? null : app;
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

    final TestRuntime runtime = new TestRuntime("svc");

    /** A new Svc bound to {@link #runtime}, settings built. */
    InstanceControl<Hook> bound(Svc svc) {
        InstanceControl<Hook> control = TestRuntime.bind(svc, runtime);
        control.buildSettings(null);
        return control;
    }

    @Test
    void newInstanceIsNotStartedDisabledQuietWithoutApp() {
        Svc svc = new Svc();
        assertEquals(ServiceState.NOT_STARTED, svc.getState());
        assertFalse(svc.isEnabled());
        assertTrue(svc.isQuiet());
        assertNull(svc.getApp());
        assertTrue(svc.isReady());
        assertFalse(svc.isRunning());
        assertFalse(svc.hasFailed());
        assertEquals("svc", svc.serviceName(), "unbound: the lower-cased class name");
        assertEquals(Map.of(), svc.getConfig());
        assertNull(svc.getManifest());
        assertNull(svc.getLastError());
        assertNull(svc.getLastErrorTime());
    }

    @Test
    void anUnboundInstanceRefusesEveryTransitionWithAClearMessage() {
        Svc svc = new Svc();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> svc.start(null));
        assertTrue(e.getMessage().contains("not managed by a MetaService"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> svc.reset(null));
        assertThrows(IllegalStateException.class, () -> svc.failed(new RuntimeException()));
        assertEquals(0, svc.runs.get());
    }

    @Test
    void anInstanceIsBoundOnceAndNamedByItsRuntime() {
        Svc svc = new Svc();
        TestRuntime.bind(svc, runtime);
        assertEquals("svc", svc.serviceName());
        IllegalStateException twice = assertThrows(IllegalStateException.class,
                () -> Binder.bind(svc, new TestRuntime("other")));
        assertTrue(twice.getMessage().contains("already bound"));
        assertThrows(IllegalArgumentException.class, () -> Binder.bind("not a service", runtime));
        assertEquals("svc", svc.serviceName(), "the first binding stays");
    }

    @Test
    void settingsPopEnabledAndQuietOutOfACopyOfTheConfig() {
        Svc svc = new Svc();
        svc.config = new LinkedHashMap<>(Map.of("enabled", true, "quiet", true, "host", "h"));
        bound(svc);
        assertTrue(svc.isEnabled());
        assertTrue(svc.isQuiet());
        assertEquals(Map.of("host", "h"), svc.getConfig());
        assertEquals(3, svc.config.size(), "the author's map is left alone");
        assertThrows(UnsupportedOperationException.class, () -> svc.getConfig().put("x", 1));
        assertEquals(List.of("buildManifest", "buildConfig"), runtime.authorCalls, "manifest first, then config");
    }

    @Test
    void theDefaultConfigIsDisabled() {
        CommonService<String> plain = new CommonService<>() {
            @Override
            protected String run(Hook hook) {
                return "app";
            }
        };
        InstanceControl<Hook> control = TestRuntime.bind(plain, runtime);
        control.buildSettings(null);
        control.start(null);
        assertFalse(plain.isEnabled());
        assertFalse(plain.isQuiet(), "quiet is false once settings are built");
        assertEquals(ServiceState.NOT_STARTED, plain.getState());
    }

    @Test
    void manifestReservedKeysMoveToManifestMeta() {
        Svc svc = new Svc();
        svc.manifest = new LinkedHashMap<>(Map.of("Service", List.of(Map.of("a", 1)),
                "__OLD_CONFIG__", Map.of("Service", List.of("x")), "__UNSAFE_PARAPHRASE__", "I know what I'm doing!"));
        bound(svc);
        assertEquals(Map.of("Service", List.of(Map.of("a", 1))), svc.getManifest());
        assertEquals(Map.of("Service", List.of("x")), svc.getManifestMeta().get("__OLD_CONFIG__"));
        assertEquals("I know what I'm doing!", svc.getManifestMeta().get("__UNSAFE_PARAPHRASE__"));
    }

    @Test
    void aManifestWithoutReservedKeysGetsTheirDefaults() {
        Svc svc = new Svc();
        svc.manifest = Map.of("Service", List.of());
        bound(svc);
        assertEquals(Map.of(), svc.getManifestMeta().get("__OLD_CONFIG__"));
        assertEquals("", svc.getManifestMeta().get("__UNSAFE_PARAPHRASE__"));
    }

    @Test
    void anEmptyManifestIsNoManifest() {
        Svc svc = new Svc();
        svc.manifest = Map.of();
        bound(svc);
        assertNull(svc.getManifest());
        assertEquals(Map.of(), svc.getManifestMeta());
    }

    @Test
    void settingsErrorFallsBackToDisabledWithoutManifestAndIsTheLastError() {
        Svc svc = new Svc();
        svc.manifest = Map.of("Service", List.of());
        svc.config = new LinkedHashMap<>(Map.of("enabled", "yes"));
        InstanceControl<Hook> control = bound(svc);
        assertFalse(svc.isEnabled());
        assertFalse(svc.isQuiet());
        assertNull(svc.getManifest());
        assertEquals("java.lang.IllegalArgumentException: 'enabled' must be true or false, not yes",
                svc.getLastError());
        assertNotNull(svc.getLastErrorTime());
        control.start(null);
        assertEquals(ServiceState.NOT_STARTED, svc.getState());
        assertEquals(0, svc.runs.get());
    }

    @Test
    void aNonBooleanQuietIsASettingsError() {
        Svc svc = new Svc();
        svc.config = new LinkedHashMap<>(Map.of("enabled", true, "quiet", 1));
        bound(svc);
        assertFalse(svc.isEnabled());
        assertTrue(svc.getLastError().contains("'quiet' must be true or false, not 1"), svc.getLastError());
    }

    @Test
    void buildConfigReturningNullIsASettingsError() {
        Svc svc = new Svc();
        svc.config = null;
        bound(svc);
        assertFalse(svc.isEnabled());
        assertTrue(svc.getLastError().endsWith("buildConfig returned null"), svc.getLastError());
    }

    @Test
    void startRunsStartedRunRunningPostRunAndReturnsItself() {
        AtomicReference<ServiceState> inPostRun = new AtomicReference<>();
        Svc svc = new Svc() {
            @Override
            protected void postRun(Hook hook) {
                inPostRun.set(getState());
            }
        };
        InstanceControl<Hook> control = bound(svc);
        assertSame(svc, svc.start(null));
        assertEquals(ServiceState.RUNNING, svc.getState());
        assertEquals(ServiceState.RUNNING, inPostRun.get(), "postRun runs once RUNNING");
        assertTrue(svc.isRunning());
        assertSame(svc.lastApp.get(), svc.getApp());
        assertEquals(1, control.startCount());
        assertNotNull(control.lastStartDuration());
        assertEquals(List.of("NOT_STARTED>STARTED", "STARTED>RUNNING"), runtime.changes);
        assertEquals(List.of("buildManifest", "buildConfig", "run", "postRun"), runtime.authorCalls);
    }

    @Test
    void disabledServiceStaysNotStartedSilently() {
        Svc svc = new Svc();
        svc.config = new LinkedHashMap<>(Map.of("enabled", false));
        InstanceControl<Hook> control = bound(svc);
        control.start(null);
        assertEquals(ServiceState.NOT_STARTED, svc.getState());
        assertEquals(0, svc.runs.get());
        assertEquals(0, control.startCount());
        assertEquals(List.of(), runtime.changes);
    }

    @Test
    void startActsOnlyWhenNotStartedAndWithoutApp() {
        Svc svc = new Svc();
        InstanceControl<Hook> control = bound(svc);
        control.start(null);
        control.start(null);
        assertEquals(1, svc.runs.get());
        assertEquals(1, control.startCount());
    }

    @Test
    void runFailureMakesItFailedWithoutAppAndCallsOnFailed() {
        Svc svc = new Svc();
        InstanceControl<Hook> control = bound(svc);
        svc.runError = new IllegalStateException("boom");
        control.start(null);
        assertTrue(svc.hasFailed());
        assertFalse(svc.isReady());
        assertNull(svc.getApp());
        assertSame(svc.runError, svc.failedWith.get());
        assertEquals("java.lang.IllegalStateException: boom", svc.getLastError());
        assertNotNull(svc.getLastErrorTime());
        assertTrue(control.lastErrorDetail().contains("IllegalStateException: boom"));
        assertTrue(control.lastErrorDetail().contains("\tat "), "the detail is the stack trace");
        assertEquals(List.of("NOT_STARTED>STARTED", "STARTED>FAILED"), runtime.changes);
        assertEquals(List.of("boom"), runtime.errors);
        assertTrue(runtime.authorCalls.contains("onFailed"));
    }

    @Test
    void postRunFailureMakesItFailedAndClosesTheApp() {
        Svc svc = new Svc();
        InstanceControl<Hook> control = bound(svc);
        svc.postRunError = new IllegalStateException("late");
        control.start(null);
        assertTrue(svc.hasFailed());
        assertNull(svc.getApp());
        assertEquals(1, svc.closes.get());
        assertEquals(List.of("NOT_STARTED>STARTED", "STARTED>RUNNING", "RUNNING>FAILED"), runtime.changes);
    }

    @Test
    void runReturningNoAppIsAFailure() {
        Svc svc = new Svc();
        InstanceControl<Hook> control = bound(svc);
        svc.returnNull = true;
        control.start(null);
        assertTrue(svc.hasFailed());
        assertEquals("java.lang.IllegalStateException: run returned no app", svc.getLastError());
    }

    @Test
    void theFirstUsefulMessageOfTheCauseChainIsShownNeverNull() {
        Svc svc = new Svc();
        InstanceControl<Hook> control = bound(svc);
        svc.runError = new IllegalStateException(new java.net.ConnectException("Connection refused"));
        control.start(null);
        assertEquals("java.lang.IllegalStateException: Connection refused", svc.getLastError());
        svc.runError = new RuntimeException((String) null);
        control.reset(null, true);
        assertEquals("java.lang.RuntimeException", svc.getLastError());
    }

    @Test
    void failedServiceNeverRestartsByItself() {
        Svc svc = new Svc();
        InstanceControl<Hook> control = bound(svc);
        svc.runError = new IllegalStateException("boom");
        control.start(null);
        svc.runError = null;
        control.start(null);
        assertTrue(svc.hasFailed());
        assertEquals(1, svc.runs.get());
    }

    @Test
    void resetIsTheWayBackFromFailedAndTheLastErrorStays() {
        Svc svc = new Svc();
        InstanceControl<Hook> control = bound(svc);
        svc.runError = new IllegalStateException("boom");
        control.start(null);
        svc.runError = null;
        control.reset(null, true);
        assertTrue(svc.isRunning());
        assertEquals(1, control.resetCount());
        assertEquals(2, control.startCount());
        assertEquals("java.lang.IllegalStateException: boom", svc.getLastError(), "shown as the last error");
    }

    @Test
    void resetStopsDaemonsClosesTheAppAndRereadsSettings() {
        Svc svc = new Svc();
        InstanceControl<Hook> control = bound(svc);
        control.start(null);
        svc.config = new LinkedHashMap<>(Map.of("enabled", true, "color", "red"));
        control.reset(null, false);
        assertEquals(1, svc.closes.get());
        assertNull(svc.getApp());
        assertEquals(ServiceState.NOT_STARTED, svc.getState());
        assertEquals("red", svc.getConfig().get("color"));
        assertEquals(1, svc.runs.get(), "reset(hook, false) does not start");
        assertEquals(List.of("NOT_STARTED>STARTED", "STARTED>RUNNING", "RUNNING>NOT_STARTED"), runtime.changes);
    }

    @Test
    void aServiceResetsAndFailsItselfWithTheSeedsVocabulary() throws Exception {
        Svc svc = new Svc();
        bound(svc);
        svc.start(null);
        svc.reset(null);
        assertTrue(svc.isRunning(), "reset(hook) starts again, as the seed's default");
        assertEquals(2, svc.runs.get());
        RuntimeException why = new IllegalStateException("lost the broker");
        svc.failed(why); // queued: it never waits
        runtime.drain();
        assertTrue(svc.hasFailed());
        assertSame(why, svc.failedWith.get());
        assertEquals(2, svc.closes.get());
    }

    @Test
    void isRunningNeedsRunningStateAndAnApp() {
        Svc svc = new Svc();
        InstanceControl<Hook> control = bound(svc);
        assertFalse(svc.isRunning());
        control.start(null);
        control.fail(new IllegalStateException("x"));
        assertFalse(svc.isRunning());
        assertEquals(ServiceState.FAILED, svc.getState());
    }

    @Test
    void aQuietServiceStillFailsAndRecordsItsError() {
        Svc svc = new Svc();
        svc.config = new LinkedHashMap<>(Map.of("enabled", true, "quiet", true));
        InstanceControl<Hook> control = bound(svc);
        svc.runError = new IllegalStateException("hush");
        control.start(null);
        assertTrue(svc.hasFailed());
        assertEquals("java.lang.IllegalStateException: hush", svc.getLastError());
    }

    @Test
    void anErrorFromRunIsAFailureToo() {
        Svc svc = new Svc() {
            @Override
            protected AutoCloseable run(Hook hook) {
                throw new java.util.ServiceConfigurationError("no provider");
            }
        };
        InstanceControl<Hook> control = bound(svc);
        control.start(null);
        assertTrue(svc.hasFailed());
        assertEquals("java.util.ServiceConfigurationError: no provider", svc.getLastError());
    }

    @Test
    void aClosedInstanceNeverRunsAuthorCodeAgain() {
        Svc svc = new Svc();
        InstanceControl<Hook> control = bound(svc);
        control.start(null);
        control.close();
        assertTrue(control.isClosed());
        assertEquals(1, svc.closes.get());
        assertEquals(ServiceState.NOT_STARTED, svc.getState(), "a closed instance is stopped");
        assertEquals(List.of("NOT_STARTED>STARTED", "STARTED>RUNNING", "RUNNING>NOT_STARTED"), runtime.changes,
                "and says so to listeners");
        int calls = runtime.authorCalls.size();
        control.reset(null, true);
        control.buildSettings(null);
        control.start(null);
        control.fail(new IllegalStateException("after close"));
        assertEquals(calls, runtime.authorCalls.size(), "no settings, run or onFailed after close");
        assertEquals(1, svc.runs.get());
        assertNull(svc.failedWith.get());
    }

    @Test
    void aRunAbandonedByItsTimeoutFailsAndItsLateAppIsClosed() {
        CountDownLatch release = new CountDownLatch(1);
        Svc svc = new Svc() {
            @Override
            protected AutoCloseable run(Hook hook) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return super.run(hook);
            }
        };
        InstanceControl<Hook> control = bound(svc);
        runtime.abandon.add("run");
        control.start(null);
        assertTrue(svc.hasFailed());
        assertTrue(svc.getLastError().contains("run did not finish within 5 s"), svc.getLastError());
        release.countDown();
        await("the late app closed").until(() -> svc.closes.get() == 1);
        assertNull(svc.getApp(), "a late app is never published");
    }

    @Test
    void aFailingCloseAppOrOnFailedIsLoggedAndTheTransitionGoesOn() {
        Svc svc = new Svc() {
            @Override
            protected void closeApp(AutoCloseable app) {
                throw new IllegalStateException("close broke");
            }

            @Override
            protected void onFailed(Throwable error) {
                throw new IllegalStateException("onFailed broke");
            }
        };
        InstanceControl<Hook> control = bound(svc);
        control.start(null);
        control.fail(new IllegalStateException("x"));
        assertTrue(svc.hasFailed());
        assertNull(svc.getApp());
        control.reset(null, true);
        assertTrue(svc.isRunning());
    }

    /** Review finding 8: a start cut short because the instance is being removed is not a failure. */
    @Test
    void aStartCutShortByRetirementIsNotAFailure() {
        Svc svc = new Svc() {
            @Override
            protected AutoCloseable run(Hook hook) {
                runtime.retired = true; // the registration leaves while run is in flight
                throw new java.util.concurrent.CancellationException("run abandoned: the service is being removed");
            }
        };
        InstanceControl<Hook> control = bound(svc);
        control.start(null);
        assertFalse(svc.hasFailed());
        assertNull(svc.getLastError());
        assertTrue(runtime.changes.stream().noneMatch(c -> c.endsWith(">FAILED")), runtime.changes.toString());
        control.close();
        assertEquals(ServiceState.NOT_STARTED, svc.getState());
    }

    /** Review 2, finding 8: an instance being removed is not started: no STARTED, no run. */
    @Test
    void aRetiringInstanceIsNotStarted() {
        Svc svc = new Svc();
        InstanceControl<Hook> control = bound(svc);
        runtime.retired = true;
        control.start(null);
        assertEquals(0, svc.runs.get());
        assertEquals(List.of(), runtime.changes, "no state change announced");
        assertEquals(ServiceState.NOT_STARTED, svc.getState());
    }

    @Test
    void anOperatorsFailOfAFailedServiceChangesNothing() {
        Svc svc = new Svc();
        InstanceControl<Hook> control = bound(svc);
        control.start(null);
        IllegalStateException first = new IllegalStateException("first");
        control.fail(first);
        control.fail(new IllegalStateException("second"));
        assertSame(first, svc.failedWith.get(), "onFailed once");
        assertEquals("java.lang.IllegalStateException: first", svc.getLastError());
    }

    @Test
    void proxyServiceNeverRuns() {
        CommonService<Object> proxy = CommonService.proxy("nothing");
        assertFalse(proxy.isEnabled());
        assertEquals(ServiceState.NOT_STARTED, proxy.getState());
        assertNull(proxy.getApp());
        assertEquals("ProxyService[nothing]", proxy.toString());
        InstanceControl<Hook> control = TestRuntime.bind(proxy, runtime);
        control.buildSettings(null);
        control.start(null);
        assertFalse(proxy.isRunning());
    }

    @Test
    void theSelfControlMethodsReturnTheServiceForChaining() {
        Svc svc = new Svc() {
            CommonService<AutoCloseable> chained;

            @Override
            protected void postRun(Hook hook) {
                if (chained == null) {
                    chained = reset(hook, false);
                }
            }
        };
        bound(svc);
        assertSame(svc, svc.start(null));
        assertSame(svc, svc.reset(null, false));
        assertSame(svc, svc.reset(null));
    }

    @Test
    void theLastStartDurationIsTheTimeRunTook() throws Exception {
        Svc svc = new Svc() {
            @Override
            protected AutoCloseable run(Hook hook) {
                long end = System.nanoTime() + 50_000_000L; // run itself takes 50 ms: what is measured
                while (System.nanoTime() < end) {
                    Thread.onSpinWait();
                }
                return super.run(hook);
            }
        };
        InstanceControl<Hook> control = bound(svc);
        long begin = System.nanoTime();
        control.start(null);
        long took = System.nanoTime() - begin;
        assertTrue(control.lastStartDuration().toMillis() >= 50, control.lastStartDuration().toString());
        assertTrue(control.lastStartDuration().toNanos() <= took, "not longer than the whole start");
        assertFalse(control.isClosed());
    }

    @Test
    void aCauseChainIsWalkedAtMostTwentyDeep() {
        RuntimeException top = new RuntimeException((String) null);
        RuntimeException link = top;
        for (int i = 1; i <= 20; i++) {
            RuntimeException next = new RuntimeException(i == 20 ? "deep" : null);
            link.initCause(next);
            link = next;
        }
        assertEquals("java.lang.RuntimeException", Errors.describe(top), "the message is 21 deep: not looked at");
        RuntimeException shallower = new RuntimeException((String) null);
        RuntimeException chain = shallower;
        for (int i = 1; i <= 19; i++) {
            RuntimeException next = new RuntimeException(i == 19 ? "found" : null);
            chain.initCause(next);
            chain = next;
        }
        assertEquals("java.lang.RuntimeException: found", Errors.describe(shallower));
        RuntimeException a = new RuntimeException((String) null);
        RuntimeException b = new RuntimeException((String) null, a);
        a.initCause(b);
        assertEquals("java.lang.RuntimeException", Errors.describe(a), "a cyclic chain ends");
        assertEquals("java.lang.IllegalStateException: wrapped", Errors.describe(
                new IllegalStateException("  wrapped  ", new RuntimeException("inner"))), "its own message first");
    }

    @Test
    void theApiIsInstalledOnce() {
        assertThrows(IllegalStateException.class, () -> Binder.install(new Bindings()));
    }

    @Test
    void stateCodesAndHelpersAreTheOriginals() {
        assertEquals(-1, ServiceState.FAILED.code());
        assertEquals(0, ServiceState.NOT_STARTED.code());
        assertEquals(1, ServiceState.STARTED.code());
        assertEquals(2, ServiceState.RUNNING.code());
        assertEquals(4, ServiceState.values().length);
        assertTrue(ServiceState.NOT_STARTED.isReady());
        assertFalse(ServiceState.STARTED.isReady());
        assertTrue(ServiceState.RUNNING.isRunning());
        assertFalse(ServiceState.STARTED.isRunning());
        assertTrue(ServiceState.FAILED.hasFailed());
        assertFalse(ServiceState.RUNNING.hasFailed());
    }

    @Test
    void theDefaultConfigNameIsTheUpperCasedServiceName() {
        assertEquals("STRIPE_CONFIG", ServiceProperties.defaultConfigName("stripe"));
    }
}
