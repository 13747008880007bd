package io.jsorc.meta.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jsorc.api.CommonService;
import io.jsorc.api.Hook;
import io.jsorc.api.ServiceInfo;
import io.jsorc.api.ServiceState;
import io.jsorc.api.config.Origin;
import io.jsorc.api.event.ServiceStateEvent;
import io.jsorc.globs.internal.glob.GlobStoreImpl;
import io.jsorc.meta.internal.TestServices.App;
import io.jsorc.meta.internal.TestServices.Simple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** MetaService without OSGi (as the test kit runs it), over the real in-memory glob store. */
class MetaServiceImplTest extends MetaServiceTestBase {

    static final Origin TEST = Origin.local("test", "test");
    final List<ServiceStateEvent> events = new CopyOnWriteArrayList<>();

    @Override
    MetaServiceImpl newMeta(GlobStoreImpl store) {
        return new MetaServiceImpl(store, (owner, name, supplier) -> {
            meta.register(TestServices.source(name, 0, supplier));
            return null;
        });
    }

    @BeforeEach
    void listen() {
        meta.addStateListener(events::add);
    }

    List<String> transitionsOf(String name) {
        List<String> seen = new ArrayList<>();
        events.stream().filter(e -> e.name().equals(name)).forEach(e -> seen.add(e.from() + ">" + e.to()));
        return seen;
    }

    void set(String name, String json) {
        globs.set(name, json, null, TEST);
    }

    @Test
    void metaIsListedRunningEnabledAndNotQuiet() {
        ServiceInfo info = meta.info("meta").orElseThrow();
        assertEquals(ServiceState.RUNNING, info.state());
        assertTrue(info.enabled());
        assertFalse(info.quiet());
        assertEquals("META_CONFIG", info.configGlob());
        assertNull(info.lastError(), "automation is off: nothing to say");
        assertEquals(List.of("meta"), meta.serviceNames());
        assertEquals(1, meta.infos().size());
    }

    @Test
    void metaConfigDefaultsAreWrittenExactlyAsTheOriginalThenTheLoopsNewKeys() {
        assertEquals("{\"automation\":false,\"backoff_interval\":10,\"namespace\":\"default\","
                + "\"keep_alive\":[\"promon\",\"redis\",\"task\",\"mail\"],"
                + "\"kubernetes\":{\"in_cluster\":true,\"config\":null},"
                + "\"backoff_max\":300,\"backoff_reset\":600,\"crash_loop_limit\":5,\"crash_loop_window\":600}",
                globs.get("META_CONFIG").orElseThrow().json());
        assertFalse(meta.isAutomated());
    }

    @Test
    void arrivingEnabledServiceIsBuiltAndStarted() {
        meta.register(TestServices.source("alpha", 0, () -> new Simple("a")));
        awaitState("alpha", ServiceState.RUNNING);
        assertTrue(meta.getService("alpha", null).isRunning());
        assertEquals("{\"enabled\":true}", globs.get("ALPHA_CONFIG").orElseThrow().json(), "defaults written once");
        assertEquals(List.of("alpha", "meta"), meta.serviceNames());
    }

    @Test
    void arrivingDisabledServiceStaysNotStartedWithoutAnyEvent() {
        set("BETA_CONFIG", "{\"enabled\":false}");
        meta.register(TestServices.source("beta", 0, () -> new Simple("b")));
        assertEquals(ServiceState.NOT_STARTED, meta.getService("beta", null).getState());
        set("BETA_CONFIG", "{\"enabled\":true}");
        assertTrue(meta.refresh("beta"));
        await("beta's first events").until(() -> transitionsOf("beta").size() >= 2);
        assertEquals(List.of("NOT_STARTED>STARTED", "STARTED>RUNNING"), transitionsOf("beta"),
                "events are delivered in order per name: nothing came before the refresh");
    }

    @Test
    void highestRankingWinsAndTiesGoToLowestId() {
        ServiceSource low = TestServices.source("svc", 0, () -> new Simple("low"));
        ServiceSource tie = TestServices.source("svc", 10, () -> new Simple("tie"));
        ServiceSource high = TestServices.source("svc", 10, () -> new Simple("high"));
        meta.register(low);
        meta.register(tie);
        meta.register(high);
        assertEquals("tie", ((Simple) meta.getService("svc", null)).tag, "same ranking: the lower id wins");
        ServiceInfo info = meta.info("svc").orElseThrow();
        assertEquals(10, info.ranking());
        assertEquals(tie.id(), info.serviceId());
        assertEquals(List.of(high.label(), low.label()), info.fallbacks());
    }

    @Test
    void aNewWinnerRetiresTheOldInstanceAndStartsLikeAnArrival() {
        ServiceSource first = TestServices.source("svc", 0, () -> new Simple("old"));
        meta.register(first);
        awaitState("svc", ServiceState.RUNNING);
        Simple old = (Simple) meta.getService("svc", null);
        App oldApp = old.getApp();
        ServiceSource better = TestServices.source("svc", 5, () -> new Simple("new"));
        meta.register(better);
        assertEquals("new", ((Simple) meta.getService("svc", null)).tag);
        awaitState("svc", ServiceState.RUNNING);
        assertTrue(oldApp.closed, "old app closed");
        assertNull(meta.info("svc").orElseThrow().lastError());
        meta.unregister(better);
        await("the fallback takes over").until(() -> meta.getService("svc", null) instanceof Simple s
                && s.tag.equals("old") && s != old);
        awaitState("svc", ServiceState.RUNNING);
    }

    @Test
    void removedServiceLeavesEveryListAndClosesItsInstancesDisposablesToo() {
        ServiceSource source = TestServices.source("gone", 0, () -> new Simple("g"));
        meta.register(source);
        awaitState("gone", ServiceState.RUNNING);
        App app = (App) meta.getService("gone", null).getApp();
        CommonService<?> disposable = meta.buildService("gone", false, null);
        assertEquals(ServiceState.RUNNING, meta.start(disposable, null));
        meta.unregister(source);
        assertTrue(app.closed);
        assertTrue(((App) ((Simple) disposable).apps.get(0)).closed, "the disposable's app closed too");
        assertFalse(meta.serviceNames().contains("gone"));
        assertTrue(meta.info("gone").isEmpty());
        assertEquals(0, meta.liveInstances(), "nothing of the leaving registration stays live");
        assertThrows(IllegalArgumentException.class, () -> meta.start(disposable, null));
    }

    @Test
    void unknownNamesGiveNullEmptyOrFalse() {
        assertNull(meta.buildService("nope", false, null));
        assertNull(meta.getService("nope", null));
        assertTrue(meta.start("nope").isEmpty());
        assertFalse(meta.refresh("nope"));
        assertTrue(meta.info("nope").isEmpty());
    }

    @Test
    void disposableInstancesAreCountedUntilReleasedAndNeverStartedByThemselves() {
        meta.register(TestServices.source("d", 0, () -> new Simple("d")));
        CommonService<?> one = meta.buildService("d", false, null);
        assertEquals(ServiceState.NOT_STARTED, one.getState());
        assertTrue(one.isEnabled(), "its settings are built");
        assertNotSame(one, meta.getService("d", null));
        assertEquals(1, meta.info("d").orElseThrow().outstanding());
        meta.release(one);
        assertEquals(0, meta.info("d").orElseThrow().outstanding());
        meta.release(one);
        meta.release(meta.getService("d", null));
        assertSame(meta.getService("d", null), meta.getService("d", null), "a background instance is not released");
    }

    @Test
    void instancesAreControlledThroughMetaServiceOnly() {
        meta.register(TestServices.source("ctl", 0, () -> new Simple("c")));
        CommonService<?> service = meta.getService("ctl", null);
        awaitState("ctl", ServiceState.RUNNING);
        meta.fail(service, new IllegalStateException("broken by an operator"));
        assertEquals(ServiceState.FAILED, service.getState());
        assertEquals("java.lang.IllegalStateException: broken by an operator", service.getLastError());
        assertEquals(ServiceState.NOT_STARTED, meta.reset(service, null, false));
        assertEquals(ServiceState.RUNNING, meta.start(service, null));
        Simple stranger = new Simple("stranger");
        assertThrows(IllegalArgumentException.class, () -> meta.start(stranger, null));
        assertThrows(IllegalArgumentException.class, () -> meta.fail(stranger, new RuntimeException()));
    }

    @Test
    void buildServiceInBackgroundReplacesTheBackgroundInstance() {
        meta.register(TestServices.source("bg", 0, () -> new Simple("bg")));
        awaitState("bg", ServiceState.RUNNING);
        CommonService<?> first = meta.getService("bg", null);
        App firstApp = (App) first.getApp();
        CommonService<?> second = meta.buildService("bg", true, null);
        assertSame(second, meta.getService("bg", null));
        assertNotSame(first, second);
        assertTrue(firstApp.closed);
        assertEquals(ServiceState.NOT_STARTED, second.getState(), "built, never started");
    }

    @Test
    void runUsesTheServiceClassLoaderAndANamedThread() {
        meta.register(TestServices.source("cl", 0, () -> new Simple("cl")));
        awaitState("cl", ServiceState.RUNNING);
        App app = (App) meta.getService("cl", null).getApp();
        assertSame(Simple.class.getClassLoader(), app.contextLoader);
        assertEquals("jsorc/cl/run", app.thread);
        ServiceInfo info = meta.info("cl").orElseThrow();
        assertEquals(1, info.startCount());
        assertTrue(info.lastStartDuration() != null);
        assertEquals(Duration.ofSeconds(30), info.startTimeout());
        assertEquals(Duration.ofSeconds(10), info.stopTimeout());
    }

    @Test
    void stateEventsArriveInOrderPerName() {
        meta.register(TestServices.source("ev", 0, () -> new Simple("ev")));
        awaitState("ev", ServiceState.RUNNING);
        meta.refresh("ev");
        await("five events").until(() -> transitionsOf("ev").size() >= 5);
        assertEquals(List.of("NOT_STARTED>STARTED", "STARTED>RUNNING", "RUNNING>NOT_STARTED",
                "NOT_STARTED>STARTED", "STARTED>RUNNING"), transitionsOf("ev"));
        ServiceStateEvent first = events.stream().filter(e -> e.name().equals("ev")).findFirst().orElseThrow();
        assertEquals("test.bundle.0", first.bundle());
        assertTrue(first.background());
    }

    @Test
    void aFailureEventCarriesTheOneLineError() {
        meta.register(TestServices.source("bad", 0, () -> new Simple("bad") {
            @Override
            protected App run(Hook hook) throws Exception {
                throw new java.net.ConnectException();
            }
        }));
        await("the failure event").until(() -> events.stream().anyMatch(e -> e.to() == ServiceState.FAILED));
        ServiceStateEvent failed = events.stream().filter(e -> e.to() == ServiceState.FAILED).findFirst().orElseThrow();
        assertEquals("java.net.ConnectException", failed.error(), "no ': null'");
    }

    @Test
    void refreshAppliesAChangedConfig() {
        meta.register(TestServices.source("r", 0, () -> new Simple("r")));
        awaitState("r", ServiceState.RUNNING);
        set("R_CONFIG", "{\"enabled\":true,\"color\":\"blue\"}");
        assertEquals(null, meta.getService("r", null).getConfig().get("color"), "set alone changes nothing");
        assertTrue(meta.refresh("r"));
        assertEquals("blue", meta.getService("r", null).getConfig().get("color"));
        assertTrue(meta.getService("r", null).isRunning());
        assertEquals(1, meta.info("r").orElseThrow().resetCount());
    }

    @Test
    void refreshMetaRebuildsEveryBackgroundInstance() {
        meta.register(TestServices.source("m", 0, () -> new Simple("m")));
        awaitState("m", ServiceState.RUNNING);
        CommonService<?> before = meta.getService("m", null);
        App app = (App) before.getApp();
        assertTrue(meta.refresh("meta"));
        assertNotSame(before, meta.getService("m", null));
        assertTrue(app.closed);
        awaitState("m", ServiceState.RUNNING);
        assertEquals(1, meta.info("meta").orElseThrow().resetCount());
    }

    @Test
    void startByNameStartsAndLeavesAFailedOneAlone() {
        set("S_CONFIG", "{\"enabled\":false}");
        meta.register(TestServices.source("s", 0, () -> new Simple("s")));
        assertEquals(ServiceState.NOT_STARTED, meta.start("s").orElseThrow(), "disabled");
        set("S_CONFIG", "{\"enabled\":true}");
        meta.reset(meta.getService("s", null), null, false);
        assertEquals(ServiceState.RUNNING, meta.start("s").orElseThrow());
        meta.fail(meta.getService("s", null), new IllegalStateException("x"));
        assertEquals(ServiceState.FAILED, meta.start("s").orElseThrow());
    }

    @Test
    void whileAutomationIsOnKeepAliveServicesAreNeverStartedByMetaService() {
        set("META_CONFIG", "{\"automation\":true,\"keep_alive\":[\"redis\"]}");
        assertTrue(meta.refresh("meta"));
        assertTrue(meta.isAutomated());
        meta.register(TestServices.source("redis", 0, () -> new Simple("redis")));
        meta.register(TestServices.source("other", 0, () -> new Simple("other")));
        awaitState("other", ServiceState.RUNNING);
        assertEquals(ServiceState.NOT_STARTED, meta.getService("redis", null).getState());
        assertTrue(meta.refresh("redis"));
        assertEquals(ServiceState.NOT_STARTED, meta.getService("redis", null).getState(), "refresh leaves it too");
        meta.buildHook();
        assertEquals(ServiceState.NOT_STARTED, meta.getService("redis", null).getState(), "so does buildHook");
        assertTrue(meta.info("redis").orElseThrow().awaitingAutomation());
        assertFalse(meta.info("other").orElseThrow().awaitingAutomation());
        assertTrue(meta.info("meta").orElseThrow().lastError().contains("no JsOrc loop is running"));
        meta.addAutomationProvider(new RecordingLoop());
        assertNull(meta.info("meta").orElseThrow().lastError(), "a loop is there to do it");
    }

    @Test
    void theLoopIsToldWhatMetaConfigSaysAndWhichServicesAnOperatorRefreshed() {
        RecordingLoop loop = new RecordingLoop();
        meta.addAutomationProvider(loop);
        assertEquals(List.of("config automation=false"), loop.calls, "told at once when bound");
        assertEquals(300, loop.lastConfig.get("backoff_max"), "the loop's keys are in the defaults");

        set("META_CONFIG", "{\"automation\":true,\"keep_alive\":[\"redis\"],\"backoff_interval\":3}");
        assertTrue(meta.refresh("meta"));
        assertEquals(List.of("config automation=false", "config automation=true", "refreshed meta"), loop.calls);
        assertEquals(3, loop.lastConfig.get("backoff_interval"));
        assertEquals(5, loop.lastConfig.get("crash_loop_limit"), "new keys merged into a stored META_CONFIG");

        meta.register(TestServices.source("redis", 0, () -> new Simple("redis")));
        assertTrue(meta.refresh("redis"));
        assertEquals("refreshed redis", loop.calls.get(loop.calls.size() - 1));
        assertFalse(meta.refresh("absent"));
        assertEquals("refreshed redis", loop.calls.get(loop.calls.size() - 1), "no such service: nothing told");

        meta.removeAutomationProvider(loop);
        assertTrue(meta.refresh("meta"));
        assertEquals("refreshed redis", loop.calls.get(loop.calls.size() - 1), "an unbound loop is told nothing");
    }

    /** An AutomationProvider that records what MetaService tells it. */
    private static final class RecordingLoop implements io.jsorc.api.spi.AutomationProvider {
        final List<String> calls = new CopyOnWriteArrayList<>();
        volatile java.util.Map<String, Object> lastConfig;

        @Override
        public boolean isRunning() {
            return true;
        }

        @Override
        public void metaConfigRead(long sequence, java.util.Map<String, Object> metaConfig) {
            lastConfig = metaConfig;
            calls.add("config automation=" + metaConfig.get("automation"));
        }

        @Override
        public void serviceRefreshed(String name) {
            calls.add("refreshed " + name);
        }

        @Override
        public io.jsorc.api.spi.AutomationStatus status() {
            throw new UnsupportedOperationException();
        }

        @Override
        public java.util.Optional<io.jsorc.api.spi.Supervision> supervision(String name) {
            return java.util.Optional.empty();
        }

        @Override
        public io.jsorc.api.spi.TickReport check() {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void buildHookStartsMailRedisTaskInThatOrderWhenNotAutomated() {
        List<String> started = new CopyOnWriteArrayList<>();
        for (String name : List.of("task", "redis", "mail", "promon")) {
            set(name.toUpperCase() + "_CONFIG", "{\"enabled\":false}");
            meta.register(TestServices.source(name, 0, () -> new Simple(name, started)));
        }
        for (String name : List.of("task", "redis", "mail", "promon")) {
            set(name.toUpperCase() + "_CONFIG", "{\"enabled\":true}");
            meta.reset(meta.getService(name, null), null, false);
        }
        Hook hook = meta.buildHook();
        assertSame(meta, hook.meta());
        assertEquals(List.of("mail", "redis", "task"), started);
        assertEquals(ServiceState.NOT_STARTED, meta.getService("promon", null).getState());
        assertEquals(java.util.Optional.of(meta.getService("mail", null).getApp()), hook.app("mail", App.class));
        assertTrue(hook.app("mail", String.class).isEmpty(), "another type");
        assertTrue(hook.app("promon", App.class).isEmpty(), "not running");
        assertTrue(hook.app("absent", App.class).isEmpty());
    }

    @Test
    void hookServiceOfAnAbsentServiceIsANeverRunningProxy() {
        Hook hook = meta.buildHook();
        CommonService<?> proxy = hook.service("absent");
        assertFalse(proxy.isRunning());
        assertFalse(proxy.isEnabled());
        assertThrows(IllegalArgumentException.class, () -> meta.start(proxy, hook));
    }

    @Test
    void hookGlobsGoThroughTheOneWritePath() {
        Hook hook = meta.buildHook();
        hook.saveGlob("SOME", List.of(1, "two"));
        assertTrue(hook.hasGlob("SOME"));
        assertEquals(List.of(1, "two"), hook.getGlob("SOME"));
        assertEquals("service", globs.get("SOME").orElseThrow().stored().origin().source());
        assertTrue(hook.listGlobs().contains("SOME"));
        assertTrue(hook.destroyGlob("SOME"));
        assertNull(hook.getGlob("SOME"));
        assertFalse(hook.destroyGlob("SOME"));
    }

    @Test
    void addServiceBuilderRefusesAnExistingOrInvalidName() {
        meta.addServiceBuilder(null, "built", () -> new Simple("built"));
        assertTrue(meta.serviceNames().contains("built"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> meta.addServiceBuilder(null, "built", () -> new Simple("again")));
        assertEquals("built already exists!", e.getMessage());
        assertEquals("meta already exists!", assertThrows(IllegalArgumentException.class,
                () -> meta.addServiceBuilder(null, "meta", () -> new Simple("m"))).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> meta.addServiceBuilder(null, "bad name", () -> new Simple("m"))).getMessage()
                .startsWith("Invalid service name bad name"));
    }

    @Test
    void contextsBuildWithCallSiteArgumentsBeforeRegisteredOnes() {
        meta.addContext("pair", Pair.class, "registered");
        assertSame(Pair.class, meta.getContext("pair"));
        assertEquals("call+registered", ((Pair) meta.buildContext("pair", "call")).value);
        assertEquals("null+registered", ((Pair) meta.buildContext("pair", (Object) null)).value);
        meta.addContext("p", Prims.class);
        assertEquals("7:true", ((Prims) meta.buildContext("p", 7, true)).value, "primitives accept their boxes");
        assertNull(meta.getContext("absent"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> meta.buildContext("pair", 1, 2)).getMessage()
                .contains("candidates"));
        assertEquals("Context absent is not yet set!",
                assertThrows(IllegalArgumentException.class, () -> meta.buildContext("absent")).getMessage());
        meta.addContext("pair", Master.class);
        assertSame(Master.class, meta.getContext("pair"), "addContext overwrites");
    }

    @Test
    void buildMasterPrependsAHookWhenNoArgumentIsOne() {
        meta.addContext("master", Master.class);
        Master master = (Master) meta.buildMaster("x");
        assertInstanceOf(Hook.class, master.hook);
        assertEquals("x", master.arg);
        Hook own = meta.buildHook();
        meta.addContext("super_master", Master.class);
        Master superMaster = (Master) meta.buildSuperMaster(own, "y");
        assertSame(own, superMaster.hook);
    }

    @Test
    void closeStopsEveryThreadMetaStarted() {
        meta.register(TestServices.source("t", 0, () -> new Simple("t")));
        awaitState("t", ServiceState.RUNNING);
        meta.close();
        globs.close();
        await("no jsorc/ thread left").atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertEquals(List.of(), jsorcThreads()));
        assertEquals(0, meta.liveInstances());
    }

    static List<String> jsorcThreads() {
        List<String> names = new ArrayList<>();
        Thread.getAllStackTraces().keySet().forEach(t -> {
            if (t.isAlive() && t.getName().startsWith("jsorc/")) {
                names.add(t.getName());
            }
        });
        return names;
    }

    /** A context class with two arguments. */
    public static final class Pair {
        final String value;

        public Pair(String first, String second) {
            this.value = first + "+" + second;
        }
    }

    /** A context class with primitive parameters. */
    public static final class Prims {
        final String value;

        public Prims(int n, boolean b) {
            this.value = n + ":" + b;
        }
    }

    /** A master context: a hook and one more argument. */
    public static final class Master {
        final Hook hook;
        final Object arg;

        public Master(Hook hook, Object arg) {
            this.hook = hook;
            this.arg = arg;
        }
    }
}
