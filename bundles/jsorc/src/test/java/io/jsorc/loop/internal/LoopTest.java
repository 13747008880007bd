package io.jsorc.loop.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jsorc.api.CommonService;
import io.jsorc.api.Hook;
import io.jsorc.api.MetaService;
import io.jsorc.api.ServiceState;
import io.jsorc.api.spi.AutomationStatus;
import io.jsorc.api.spi.ManifestApplier;
import io.jsorc.api.spi.Supervision;
import io.jsorc.api.spi.TickReport;
import io.jsorc.testkit.TestKit;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The loop on the real MetaService runtime (test kit), a manual clock and scheduler: no sleeps. */
class LoopTest {

    private TestKit kit;
    private ManualTime time;
    private Loop loop;
    private final AtomicReference<ManifestApplier> applier = new AtomicReference<>();
    /** Services whose getService throws, to prove errors are isolated per service. */
    private final List<String> broken = new ArrayList<>();

    /** Fails its first {@code failures} runs, then runs; enabled by default. */
    static class Flaky extends CommonService<String> {
        private final AtomicInteger failuresLeft;
        private final Map<String, Object> manifest;

        Flaky(AtomicInteger failuresLeft) {
            this(failuresLeft, null);
        }

        Flaky(AtomicInteger failuresLeft, Map<String, Object> manifest) {
            this.failuresLeft = failuresLeft;
            this.manifest = manifest;
        }

        @Override
        protected Map<String, Object> buildManifest(Hook hook) {
            return manifest;
        }

        @Override
        protected Map<String, Object> buildConfig(Hook hook) {
            return hook.serviceGlob(serviceName().toUpperCase() + "_CONFIG", Map.of("enabled", true));
        }

        @Override
        protected String run(Hook hook) {
            if (failuresLeft.getAndDecrement() > 0) {
                throw new IllegalStateException("not yet");
            }
            return "up";
        }
    }

    @BeforeEach
    void create() {
        kit = TestKit.create();
        time = new ManualTime();
        MetaService meta = kit.meta();
        MetaService guarded = (MetaService) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {MetaService.class}, (proxy, method, args) -> {
                    if (method.getName().equals("buildHook") && broken.contains("buildHook")
                            || method.getName().equals("getService") && broken.contains(args[0])) {
                        throw new IllegalStateException("broken on purpose");
                    }
                    try {
                        return method.invoke(meta, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        loop = new Loop(guarded, time, time, new Supervisor(() -> 0.0), applier::get);
    }

    @AfterEach
    void close() {
        loop.close();
        kit.close();
    }

    private long reads;

    /** config_set META_CONFIG + service_refresh meta, as an operator does; MetaService tells the loop. */
    private void metaConfig(String json) {
        kit.configApi().configSet("META_CONFIG", json, true, null, TestKit.TEST);
        assertTrue(kit.meta().refresh("meta"));
        loop.configure(++reads, values());
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> values() {
        return (Map<String, Object>) kit.globs().get("META_CONFIG").orElseThrow().value();
    }

    private CommonService<?> service(String name) {
        return kit.meta().getService(name, kit.hook());
    }

    private Supervision supervision(String name) {
        return loop.supervision(name).orElseThrow();
    }

    @Test
    void theFirstTickComesOneSecondAfterAutomationIsOnEachNextOneBackoffIntervalAfterThePreviousEnded() {
        metaConfig("{\"automation\":true,\"keep_alive\":[],\"backoff_interval\":7}");
        assertTrue(loop.isRunning());
        Instant on = time.instant();
        assertEquals(List.of(on.plusSeconds(1)), time.pending(), "one tick, 1 s after");
        time.advance(Duration.ofMillis(999));
        assertEquals(0, loop.status().ticks());
        time.advance(Duration.ofMillis(1));
        assertEquals(1, loop.status().ticks());
        assertEquals(List.of(on.plusSeconds(8)), time.pending(), "the next one 7 s after it ended, and only one");
        assertEquals(on.plusSeconds(8), loop.status().nextTick());
        time.advance(Duration.ofSeconds(70));
        assertEquals(11, loop.status().ticks(), "every 7 s");
        assertEquals(1, time.pending().size(), "single flight");
    }

    @Test
    void aSettingsChangeTakesEffectAtTheNextTickWithoutASecondLoop() {
        metaConfig("{\"automation\":true,\"keep_alive\":[],\"backoff_interval\":10}");
        time.advance(Duration.ofSeconds(1));
        Instant due = time.pending().get(0);
        metaConfig("{\"automation\":true,\"keep_alive\":[],\"backoff_interval\":2}");
        assertEquals(List.of(due), time.pending(), "the pending tick stays; no second loop");
        time.advance(Duration.ofSeconds(10));
        assertEquals(2, loop.status().ticks());
        assertEquals(List.of(time.instant().plusSeconds(2)), time.pending(), "then every 2 s");
    }

    @Test
    void turningAutomationOffStopsTheTicksAndLeavesServicesAsTheyAre() throws Exception {
        kit.register("steady", () -> new Flaky(new AtomicInteger()));
        metaConfig("{\"automation\":true,\"keep_alive\":[\"steady\"],\"backoff_interval\":5}");
        time.advance(Duration.ofSeconds(1));
        assertTrue(service("steady").isRunning());
        metaConfig("{\"automation\":false,\"keep_alive\":[\"steady\"],\"backoff_interval\":5}");
        assertFalse(loop.isRunning());
        assertEquals(List.of(), time.pending());
        long ticks = loop.status().ticks();
        time.advance(Duration.ofHours(1));
        assertEquals(ticks, loop.status().ticks());
        // service_refresh meta rebuilds every service (as the original); with automation off MetaService starts it
        org.awaitility.Awaitility.await("steady RUNNING again").atMost(Duration.ofSeconds(10))
                .until(() -> service("steady").isRunning());
        assertEquals(ticks, loop.status().ticks(), "the loop did not touch it");
        assertEquals(List.of("automation is off (META_CONFIG.automation is false): nothing checked"),
                loop.check().actions());
    }

    @Test
    void aFailingServiceIsRetriedWithAGrowingCappedBackoffAndRunsOnceItCan() throws Exception {
        AtomicInteger failuresLeft = new AtomicInteger(3);
        metaConfig("{\"automation\":true,\"keep_alive\":[\"flaky\"],\"backoff_interval\":10,\"backoff_max\":15}");
        kit.register("flaky", () -> new Flaky(failuresLeft));
        assertEquals(ServiceState.NOT_STARTED, service("flaky").getState(), "MetaService leaves it to the loop");

        time.advance(Duration.ofSeconds(1));
        Instant first = time.instant();
        assertEquals(ServiceState.FAILED, service("flaky").getState());
        assertEquals(first.plusSeconds(10), supervision("flaky").backoffUntil(), "base: backoff_interval");

        time.advance(Duration.ofSeconds(10));                 // tick at +10: backoff over, retried, fails
        assertEquals(2, supervision("flaky").consecutiveFailures());
        assertEquals(time.instant().plusSeconds(15), supervision("flaky").backoffUntil(), "20 s capped at 15");

        time.advance(Duration.ofSeconds(10));                 // tick: still backing off
        assertEquals(2, supervision("flaky").consecutiveFailures());
        assertTrue(supervision("flaky").note().contains("next try after"), supervision("flaky").note());
        assertTrue(loop.check().actions().get(0).contains("backing off until"), "check says so");

        time.advance(Duration.ofSeconds(20));                 // past the backoff: fails a third time, then runs
        assertEquals(3, supervision("flaky").consecutiveFailures());
        time.advance(Duration.ofSeconds(20));
        assertTrue(service("flaky").isRunning());
        Supervision running = supervision("flaky");
        assertNull(running.backoffUntil());
        assertFalse(running.quarantined());
        assertEquals(3, running.failures(), "failures within the window stay counted");
    }

    @Test
    void aServiceThatAlwaysFailsIsQuarantinedUntilRefreshedOrItsConfigChanges() throws Exception {
        AtomicInteger failuresLeft = new AtomicInteger(Integer.MAX_VALUE);
        metaConfig("{\"automation\":true,\"keep_alive\":[\"doomed\"],\"backoff_interval\":1,\"crash_loop_limit\":3}");
        kit.register("doomed", () -> new Flaky(failuresLeft));
        time.advance(Duration.ofSeconds(30));
        Supervision quarantined = supervision("doomed");
        assertTrue(quarantined.quarantined(), quarantined.toString());
        assertEquals(3, quarantined.failures());
        int runs = Integer.MAX_VALUE - failuresLeft.get();
        assertEquals(3, runs, "tried exactly crash_loop_limit times");
        time.advance(Duration.ofMinutes(30));
        assertEquals(runs, Integer.MAX_VALUE - failuresLeft.get(), "left alone");
        assertTrue(loop.check().actions().get(0).contains("quarantined since"));

        loop.refreshed("doomed");                             // service_refresh doomed
        assertFalse(supervision("doomed").quarantined());
        time.advance(Duration.ofSeconds(1));
        assertEquals(runs + 1, Integer.MAX_VALUE - failuresLeft.get(), "tried again at the next tick");

        time.advance(Duration.ofMinutes(1));
        assertTrue(supervision("doomed").quarantined());
        loop.configChanged("OTHER_CONFIG");
        assertTrue(supervision("doomed").quarantined(), "another glob changes nothing");
        loop.configChanged("DOOMED_CONFIG");
        assertFalse(supervision("doomed").quarantined(), "a change of its config glob lifts it");
    }

    @Test
    void errorsAreIsolatedPerServiceAndNamesThatAreNoServiceYetArePickedUpLater() throws Exception {
        metaConfig("{\"automation\":true,\"keep_alive\":[\"later\",\"first\",\"second\"],\"backoff_interval\":5}");
        kit.register("first", () -> new Flaky(new AtomicInteger()));
        kit.register("second", () -> new Flaky(new AtomicInteger()));
        broken.add("first");
        TickReport report = loop.check();
        assertEquals(List.of("later: not a service (yet): waiting for its bundle",
                "first: error while checking: IllegalStateException: broken on purpose",
                "second: restarted: RUNNING"), report.actions());
        assertTrue(service("second").isRunning());
        assertEquals("not a service (yet): waiting for its bundle", supervision("later").note());
        assertNull(supervision("later").state());

        kit.register("later", () -> new Flaky(new AtomicInteger()));
        assertEquals(ServiceState.NOT_STARTED, service("later").getState(), "awaiting automation");
        time.advance(Duration.ofSeconds(5));
        assertTrue(service("later").isRunning(), "picked up at the next tick");
    }

    @Test
    void aServiceThatStopsRunningByItselfCountsAsAFailureAndItsBackoffResetsAfterRunningLongEnough() {
        metaConfig("{\"automation\":true,\"keep_alive\":[\"crashy\"],\"backoff_interval\":10,\"backoff_reset\":600}");
        kit.register("crashy", () -> new Flaky(new AtomicInteger()));
        time.advance(Duration.ofSeconds(1));
        assertTrue(service("crashy").isRunning());
        kit.meta().fail(service("crashy"), new IllegalStateException("crashed"));
        time.advance(Duration.ofSeconds(10));
        Supervision crashed = supervision("crashy");
        assertEquals(1, crashed.consecutiveFailures());
        assertTrue(crashed.note().startsWith("stopped running (FAILED: java.lang.IllegalStateException: crashed)"),
                crashed.note());
        time.advance(Duration.ofSeconds(10));
        assertTrue(service("crashy").isRunning(), "restarted after its backoff");
        time.advance(Duration.ofSeconds(590));
        assertEquals(1, supervision("crashy").consecutiveFailures(), "not yet running for backoff_reset");
        time.advance(Duration.ofSeconds(20));
        assertEquals(0, supervision("crashy").consecutiveFailures(), "10 min RUNNING: the backoff starts over");
    }

    @Test
    void aManifestIsSupervisedLocallyWithoutAClusterAndAppliedFirstWithOne() throws Exception {
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("Service", List.of(Map.of("metadata", Map.of("name", "jaseci-redis"))));
        metaConfig("{\"automation\":true,\"keep_alive\":[\"redis\"],\"backoff_interval\":5}");
        kit.register("redis", () -> new Flaky(new AtomicInteger(), manifest));
        AutomationStatus status = loop.status();
        assertTrue(status.cluster().startsWith("Kubernetes is not configured"), status.cluster());
        loop.check();
        assertTrue(service("redis").isRunning(), "supervised locally");
        assertTrue(supervision("redis").note().endsWith(
                "manifest not applied: Kubernetes is not configured; supervised locally"), supervision("redis").note());

        List<String> applied = new ArrayList<>();
        AtomicReference<Boolean> ready = new AtomicReference<>(false);
        applier.set(Appliers.of("a test cluster", (service, m, namespace) -> {
            applied.add(service + " " + m.keySet() + " in " + namespace);
            return new ManifestApplier.Applied(ready.get(), ready.get() ? "pods ready" : "pods not ready yet");
        }));
        kit.meta().fail(service("redis"), new IllegalStateException("down"));
        assertEquals("a test cluster", loop.status().cluster());
        loop.refreshed("redis");
        assertEquals(List.of("redis: manifest applied, waiting: pods not ready yet"), loop.check().actions());
        assertEquals(List.of("redis [Service] in default"), applied);
        assertFalse(service("redis").isRunning(), "not reset before its workload is ready");
        ready.set(true);
        assertEquals(List.of("redis: restarted: RUNNING"), loop.check().actions());
    }

    @Test
    void checkRunsATickNowAndTheNextScheduledOneComesBackoffIntervalAfterIt() throws Exception {
        metaConfig("{\"automation\":true,\"keep_alive\":[],\"backoff_interval\":30}");
        time.advance(Duration.ofSeconds(5));                  // first tick at +1; next due at +31
        loop.check();                                         // at +5
        assertEquals(2, loop.status().ticks());
        assertEquals(List.of(time.instant().plusSeconds(30)), time.pending(), "rescheduled from the check, once");
    }

    @Test
    void theNextTickComesBackoffIntervalAfterTheEndOfASlowTick() {
        metaConfig("{\"automation\":true,\"keep_alive\":[\"slow\"],\"backoff_interval\":10}");
        kit.register("slow", () -> new Flaky(new AtomicInteger()) {
            @Override
            protected String run(Hook hook) {
                time.pass(Duration.ofSeconds(3));             // the start takes 3 s of the tick
                return super.run(hook);
            }
        });
        Instant on = time.instant();
        time.advance(Duration.ofSeconds(1));
        assertTrue(service("slow").isRunning());
        assertEquals(Duration.ofSeconds(3), loop.status().lastTickDuration());
        assertEquals(List.of(on.plusSeconds(1 + 3 + 10)), time.pending(), "10 s after the tick ended, not started");
    }

    @Test
    void aDisabledServiceIsLeftNotStartedWithoutAResetEveryTick() {
        metaConfig("{\"automation\":true,\"keep_alive\":[\"off\"],\"backoff_interval\":1}");
        kit.register("off", () -> new Flaky(new AtomicInteger()));
        kit.configApi().configSet("OFF_CONFIG", "{\"enabled\":false}", true, null, TestKit.TEST);
        kit.meta().refresh("off");
        int resets = kit.meta().info("off").orElseThrow().resetCount();
        time.advance(Duration.ofSeconds(30));
        assertEquals(ServiceState.NOT_STARTED, service("off").getState());
        assertEquals(resets, kit.meta().info("off").orElseThrow().resetCount(), "set stores, refresh applies");
        assertEquals(0, supervision("off").consecutiveFailures(), "disabled is no failure");
        assertTrue(supervision("off").note().startsWith("disabled in OFF_CONFIG"), supervision("off").note());
    }

    @Test
    void anOperatorsResetOfARunningServiceIsNoCrash() {
        metaConfig("{\"automation\":true,\"keep_alive\":[\"kept\"],\"backoff_interval\":5}");
        kit.register("kept", () -> new Flaky(new AtomicInteger()));
        time.advance(Duration.ofSeconds(1));
        assertTrue(service("kept").isRunning());
        kit.meta().reset(service("kept"), kit.hook(), false);   // NOT_STARTED, not FAILED
        time.advance(Duration.ofSeconds(5));
        assertTrue(service("kept").isRunning(), "started again");
        assertEquals(0, supervision("kept").consecutiveFailures());
    }

    @Test
    void aStaleMetaConfigReadIsIgnored() {
        kit.configApi().configSet("META_CONFIG", "{\"automation\":true,\"keep_alive\":[]}", true, null, TestKit.TEST);
        loop.configure(5, values());
        loop.configure(4, Map.of("automation", false));
        assertTrue(loop.isRunning(), "read 4 came after read 5: ignored");
        loop.configure(6, Map.of("automation", false));
        assertFalse(loop.isRunning());
    }

    @Test
    void aTickThatStartedAfterItWasCancelledDoesNothingSoThereIsNeverASecondChain() {
        List<Runnable> started = new ArrayList<>();
        Scheduler uncancellable = new Scheduler() {
            @Override
            public Scheduled schedule(Runnable task, Duration delay) {
                started.add(task);
                return () -> { };                          // too late: it has started
            }

            @Override
            public <T> java.util.concurrent.Future<T> submit(java.util.concurrent.Callable<T> task) {
                throw new UnsupportedOperationException();
            }
        };
        Loop racing = new Loop(kit.meta(), time, uncancellable, new Supervisor(() -> 0.0), applier::get);
        Map<String, Object> on = Map.of("automation", true, "keep_alive", List.of());
        racing.configure(1, on);
        racing.configure(2, Map.of("automation", false));
        racing.configure(3, on);
        assertEquals(2, started.size());
        started.get(0).run();                              // the first, cancelled while it started
        assertEquals(0, racing.status().ticks(), "it did nothing");
        assertEquals(2, started.size(), "and scheduled nothing");
        started.get(1).run();
        assertEquals(1, racing.status().ticks());
        assertEquals(3, started.size(), "one chain: the next tick");
        racing.close();
    }

    @Test
    void turningAutomationOnDuringATickSchedulesNoExtraTick() {
        metaConfig("{\"automation\":true,\"keep_alive\":[\"toggler\"],\"backoff_interval\":10}");
        kit.register("toggler", () -> new Flaky(new AtomicInteger()) {
            @Override
            protected String run(Hook hook) {
                loop.configure(++reads, Map.of("automation", false));   // an operator, during the tick
                loop.configure(++reads, Map.of("automation", true, "keep_alive", List.of("toggler"),
                        "backoff_interval", 10));
                return super.run(hook);
            }
        });
        time.advance(Duration.ofSeconds(1));
        assertEquals(List.of(time.instant().plusSeconds(10)), time.pending(), "only the next tick, 10 s after");
    }

    @Test
    void aManifestTheClusterSideCannotApplyIsNoFailureOfTheService() throws Exception {
        metaConfig("{\"automation\":true,\"keep_alive\":[\"redis\"],\"backoff_interval\":5}");
        kit.register("redis", () -> new Flaky(new AtomicInteger(), Map.of("Service", List.of(Map.of()))));
        AtomicInteger calls = new AtomicInteger();
        applier.set(Appliers.of("a broken cluster", (service, m, namespace) -> {
            calls.incrementAndGet();
            throw new java.io.IOException("connection refused");
        }));
        String backoff = "next try after " + time.instant().plusSeconds(5);
        assertEquals(List.of("redis: manifest not applied: IOException: connection refused; " + backoff),
                loop.check().actions());
        assertEquals("manifest not applied: IOException: connection refused; " + backoff, supervision("redis").note());
        assertEquals(0, supervision("redis").consecutiveFailures(), "not a failure of the service");
        assertFalse(service("redis").isRunning(), "not reset without its manifest applied");
        loop.check();
        assertEquals(1, calls.get(), "backed off: the cluster side is not asked again before " + backoff);
        time.advance(Duration.ofSeconds(6));
        loop.check();
        assertEquals(2, calls.get(), "asked again after the backoff");
    }

    @Test
    void anExplicitCheckAppliesTheManifestOfARunningServiceAScheduledTickDoesNot() throws Exception {
        metaConfig("{\"automation\":true,\"keep_alive\":[\"redis\"],\"backoff_interval\":5}");
        kit.register("redis", () -> new Flaky(new AtomicInteger(), Map.of("Service", List.of(Map.of()))));
        AtomicInteger calls = new AtomicInteger();
        applier.set(Appliers.of("a cluster", (service, m, namespace) -> {
            calls.incrementAndGet();
            return new ManifestApplier.Applied(true, "version 1: 1 unchanged; ready");
        }));
        loop.check();
        assertTrue(service("redis").isRunning());
        assertEquals(1, calls.get());

        assertEquals(List.of("redis: RUNNING, manifest applied, ready"), loop.check().actions());
        assertEquals(2, calls.get(), "jsorc:check applies regardless of the state");
        time.advance(Duration.ofSeconds(6));
        assertEquals(2, calls.get(), "a scheduled tick leaves a RUNNING service alone (the original's rule)");
    }

    @Test
    void aRunningServiceRemovedFromKeepAliveOrRefreshedIsForgotten() throws Exception {
        metaConfig("{\"automation\":true,\"keep_alive\":[\"doomed\"],\"backoff_interval\":5,\"crash_loop_limit\":1}");
        kit.register("doomed", () -> new Flaky(new AtomicInteger(Integer.MAX_VALUE)));
        loop.check();
        assertTrue(supervision("doomed").quarantined());
        loop.configChanged("DOOMED_CONFIG");
        assertFalse(supervision("doomed").quarantined());
        loop.check();
        loop.refreshed("meta");
        Supervision forgotten = supervision("doomed");
        assertFalse(forgotten.quarantined());
        assertEquals(0, forgotten.failures());
        assertEquals(0, forgotten.consecutiveFailures());
        loop.refreshed("other");
        assertEquals(0, supervision("doomed").failures());
    }

    @Test
    void statusSaysWhetherATickIsScheduled() {
        assertFalse(loop.status().running());
        assertFalse(loop.status().automation());
        metaConfig("{\"automation\":true,\"keep_alive\":[\"x\"],\"backoff_interval\":4}");
        AutomationStatus on = loop.status();
        assertTrue(on.automation());
        assertTrue(on.running());
        assertEquals(4, on.backoffInterval());
        assertEquals(time.instant().plusSeconds(1), on.nextTick());
        assertEquals(List.of("x"), on.services().stream().map(Supervision::name).toList());
        assertEquals("not a service (yet): waiting for its bundle", on.services().get(0).note());
        assertNull(on.lastTick());
        time.advance(Duration.ofSeconds(1));
        assertEquals(time.instant(), loop.status().lastTick());
    }

    @Test
    void aHookThatCannotBeBuiltEndsThatTickWithAReportAndTheNextTickComes() throws Exception {
        metaConfig("{\"automation\":true,\"keep_alive\":[\"x\"],\"backoff_interval\":5}");
        broken.add("buildHook");
        assertEquals(List.of("could not build a hook, nothing checked: IllegalStateException: broken on purpose"),
                loop.check().actions());
        assertEquals(List.of(time.instant().plusSeconds(5)), time.pending(), "the next tick is scheduled");
    }

    @Test
    void closingStopsEveryTick() {
        metaConfig("{\"automation\":true,\"keep_alive\":[],\"backoff_interval\":1}");
        loop.close();
        assertFalse(loop.isRunning());
        assertEquals(List.of(), time.pending());
        time.advance(Duration.ofMinutes(1));
        assertEquals(0, loop.status().ticks());
    }
}
