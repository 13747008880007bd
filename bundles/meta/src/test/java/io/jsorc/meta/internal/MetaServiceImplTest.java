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
import io.jsorc.api.event.ServiceStateEvent;
import io.jsorc.meta.internal.TestServices.App;
import io.jsorc.meta.internal.TestServices.Hanging;
import io.jsorc.meta.internal.TestServices.Simple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MetaServiceImplTest {

    private FakeGlobStore globs;
    private MetaServiceImpl meta;
    private final List<ServiceStateEvent> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() {
        globs = new FakeGlobStore();
        meta = new MetaServiceImpl(globs, (owner, name, supplier) -> {
            meta.addSource(TestServices.source(name, 0, supplier));
            return null;
        });
        meta.addStateListener(events::add);
    }

    @AfterEach
    void tearDown() {
        meta.close();
    }

    private void awaitState(String name, ServiceState state) {
        await("service " + name + " to be " + state).atMost(Duration.ofSeconds(10))
                .until(() -> meta.info(name).map(ServiceInfo::state).orElse(null) == state);
    }

    private void awaitArrival(String name) {
        await("service " + name + " to arrive").atMost(Duration.ofSeconds(10))
                .until(() -> meta.getService(name, null) != null);
    }

    @Test
    void metaIsListedRunningEnabledAndNotQuiet() {
        ServiceInfo info = meta.info("meta").orElseThrow();
        assertEquals(ServiceState.RUNNING, info.state());
        assertTrue(info.enabled());
        assertFalse(info.quiet());
        assertEquals(List.of("meta"), meta.serviceNames());
    }

    @Test
    void metaConfigDefaultsAreWrittenExactlyAsTheOriginal() {
        assertEquals(MetaConfig.defaults(), globs.values.get("META_CONFIG"));
        assertEquals("{automation=false, backoff_interval=10, namespace=default, "
                + "keep_alive=[promon, redis, task, mail], kubernetes={in_cluster=true, config=null}}",
                globs.values.get("META_CONFIG").toString());
    }

    @Test
    void arrivingEnabledServiceIsBuiltAndStarted() {
        meta.addSource(TestServices.source("alpha", 0, () -> new Simple("a")));
        awaitState("alpha", ServiceState.RUNNING);
        assertTrue(meta.getService("alpha", null).isRunning());
        assertTrue(meta.configNames().contains("ALPHA_CONFIG"));
    }

    @Test
    void arrivingDisabledServiceStaysNotStarted() {
        globs.values.put("BETA_CONFIG", Map.of("enabled", false));
        meta.addSource(TestServices.source("beta", 0, () -> new Simple("b")));
        await().until(() -> meta.getService("beta", null) != null);
        assertEquals(ServiceState.NOT_STARTED, meta.getService("beta", null).getState());
        assertTrue(events.stream().noneMatch(e -> e.name().equals("beta")));
    }

    @Test
    void highestRankingWinsAndTiesGoToLowestId() {
        ServiceSource low = TestServices.source("svc", 0, () -> new Simple("low"));
        ServiceSource high = TestServices.source("svc", 10, () -> new Simple("high"));
        ServiceSource tie = TestServices.source("svc", 10, () -> new Simple("tie"));
        meta.addSource(low);
        meta.addSource(tie.id() < high.id() ? tie : high);
        meta.addSource(tie.id() < high.id() ? high : tie);
        await("high to win").until(() -> meta.getService("svc", null) instanceof Simple s && s.tag.equals("high"));
        ServiceInfo info = meta.info("svc").orElseThrow();
        assertEquals(10, info.ranking());
        assertEquals(2, info.fallbacks().size());
        assertTrue(info.fallbacks().get(0).contains("ranking=10"), info.fallbacks().toString());
    }

    @Test
    void winnerChangeRetiresOldAndStartsNewWhenOldWasRunning() {
        meta.addSource(TestServices.source("svc", 0, () -> new Simple("old")));
        awaitState("svc", ServiceState.RUNNING);
        CommonService<?> old = meta.getService("svc", null);
        App oldApp = (App) old.getApp();
        ServiceSource better = TestServices.source("svc", 5, () -> new Simple("new"));
        meta.addSource(better);
        await("new winner running").until(() -> meta.getService("svc", null) != old
                && meta.getService("svc", null).isRunning());
        assertTrue(oldApp.closed, "old app closed");
        assertEquals(ServiceState.NOT_STARTED, old.getState());
        meta.removeSource(better);
        CommonService<?> fallback = meta.getService("svc", null);
        assertEquals("old", ((Simple) fallback).tag);
        awaitState("svc", ServiceState.RUNNING);
    }

    @Test
    void removedServiceLeavesEveryListAndClosesItsInstances() {
        ServiceSource source = TestServices.source("gone", 0, () -> new Simple("g"));
        meta.addSource(source);
        awaitState("gone", ServiceState.RUNNING);
        App app = (App) meta.getService("gone", null).getApp();
        CommonService<?> disposable = meta.buildService("gone", false, null);
        disposable.start(null);
        meta.removeSource(source);
        assertTrue(app.closed);
        assertFalse(disposable.isRunning());
        assertFalse(meta.serviceNames().contains("gone"));
        assertTrue(meta.info("gone").isEmpty());
    }

    @Test
    void buildServiceOfUnknownNameReturnsNull() {
        assertNull(meta.buildService("nope", false, null));
        assertNull(meta.getService("nope", null));
    }

    @Test
    void disposableInstancesAreCountedUntilReleasedAndNeverStarted() {
        meta.addSource(TestServices.source("d", 0, () -> new Simple("d")));
        awaitArrival("d");
        CommonService<?> one = meta.buildService("d", false, null);
        assertEquals(ServiceState.NOT_STARTED, one.getState());
        assertNotSame(one, meta.getService("d", null));
        assertEquals(1, meta.info("d").orElseThrow().outstanding());
        meta.release(one);
        assertEquals(0, meta.info("d").orElseThrow().outstanding());
    }

    @Test
    void buildServiceInBackgroundReplacesTheBackgroundInstance() {
        meta.addSource(TestServices.source("bg", 0, () -> new Simple("bg")));
        awaitArrival("bg");
        CommonService<?> first = meta.getService("bg", null);
        CommonService<?> second = meta.buildService("bg", true, null);
        assertSame(second, meta.getService("bg", null));
        assertNotSame(first, second);
    }

    @Test
    void hungRunTimesOutWhileInfoKeepsAnswering() throws Exception {
        meta.addSource(TestServices.source("hang", 0, 1, Hanging::new));
        await().until(() -> meta.info("hang").map(ServiceInfo::state).orElse(null) == ServiceState.STARTED);
        assertEquals(2, meta.infos().size(), "infos answer while run hangs");
        awaitState("hang", ServiceState.FAILED);
        ServiceInfo info = meta.info("hang").orElseThrow();
        assertTrue(info.lastError().contains("run did not finish within 1 s"), info.lastError());
        assertTrue(info.lastErrorDetail().contains("Hanging.run"), info.lastErrorDetail());
        Hanging.RELEASE.countDown();
        await("late app closed").until(() -> TestServices.APPS.stream()
                .anyMatch(app -> app.owner.equals("hanging") && app.closed));
        assertNull(meta.getService("hang", null).getApp(), "late app never published");
    }

    @Test
    void runSeesTheServiceClassLoaderAsContextClassLoader() {
        meta.addSource(TestServices.source("cl", 0, () -> new Simple("cl")));
        awaitState("cl", ServiceState.RUNNING);
        App app = (App) meta.getService("cl", null).getApp();
        assertSame(Simple.class.getClassLoader(), app.contextLoader);
    }

    @Test
    void stateEventsArriveInOrderPerName() {
        meta.addSource(TestServices.source("ev", 0, () -> new Simple("ev")));
        awaitState("ev", ServiceState.RUNNING);
        meta.refresh("ev");
        await("events").until(() -> events.stream().filter(e -> e.name().equals("ev")).count() >= 5);
        List<String> seen = new ArrayList<>();
        events.stream().filter(e -> e.name().equals("ev")).forEach(e -> seen.add(e.from() + ">" + e.to()));
        assertEquals(List.of("NOT_STARTED>STARTED", "STARTED>RUNNING", "RUNNING>NOT_STARTED",
                "NOT_STARTED>STARTED", "STARTED>RUNNING"), seen);
    }

    @Test
    void refreshAppliesAChangedConfig() {
        meta.addSource(TestServices.source("r", 0, () -> new Simple("r")));
        awaitState("r", ServiceState.RUNNING);
        globs.values.put("R_CONFIG", Map.of("enabled", true, "color", "blue"));
        assertTrue(meta.refresh("r"));
        assertEquals("blue", meta.getService("r", null).getConfig().get("color"));
        assertTrue(meta.getService("r", null).isRunning());
        assertFalse(meta.refresh("unknown"));
    }

    @Test
    void refreshMetaRebuildsEveryBackgroundInstance() {
        meta.addSource(TestServices.source("m", 0, () -> new Simple("m")));
        awaitState("m", ServiceState.RUNNING);
        CommonService<?> before = meta.getService("m", null);
        assertTrue(meta.refresh("meta"));
        assertNotSame(before, meta.getService("m", null));
        awaitState("m", ServiceState.RUNNING);
        assertEquals(1, meta.info("meta").orElseThrow().resetCount());
    }

    @Test
    void keepAliveServicesAreLeftToTheAutomationLoopWhenAutomated() {
        meta.addAutomationProvider(() -> true);
        meta.addSource(TestServices.source("redis", 0, () -> new Simple("redis")));
        meta.addSource(TestServices.source("other", 0, () -> new Simple("other")));
        awaitState("other", ServiceState.RUNNING);
        assertEquals(ServiceState.NOT_STARTED, meta.getService("redis", null).getState());
        assertTrue(meta.isAutomated());
    }

    @Test
    void buildHookStartsMailRedisTaskInOrderWhenNotAutomated() {
        for (String name : List.of("task", "redis", "mail", "promon")) {
            globs.values.put(name.toUpperCase() + "_CONFIG", Map.of("enabled", false));
            meta.addSource(TestServices.source(name, 0, () -> new Simple(name)));
        }
        await().until(() -> meta.serviceNames().size() == 5);
        for (String name : List.of("task", "redis", "mail", "promon")) {
            globs.values.put(name.toUpperCase() + "_CONFIG", Map.of("enabled", true));
            meta.getService(name, null).reset(new HookImpl(meta, globs, "test"), false);
        }
        events.clear();
        Hook hook = meta.buildHook();
        assertSame(meta, hook.meta());
        List<String> started = new ArrayList<>();
        await().until(() -> events.stream().filter(e -> e.to() == ServiceState.RUNNING).count() == 3);
        events.stream().filter(e -> e.to() == ServiceState.STARTED).forEach(e -> started.add(e.name()));
        assertEquals(List.of("mail", "redis", "task"), started);
        assertEquals(ServiceState.NOT_STARTED, meta.getService("promon", null).getState());
    }

    @Test
    void hookServiceOfAnAbsentServiceIsANeverRunningProxy() {
        Hook hook = meta.buildHook();
        CommonService<?> proxy = hook.service("absent");
        assertFalse(proxy.start(hook).isRunning());
        assertFalse(proxy.isEnabled());
    }

    @Test
    void addServiceBuilderRefusesAnExistingName() {
        meta.addServiceBuilder(null, "built", () -> new Simple("built"));
        await().until(() -> meta.serviceNames().contains("built"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> meta.addServiceBuilder(null, "built", () -> new Simple("again")));
        assertEquals("built already exists!", e.getMessage());
    }

    @Test
    void contextsBuildWithCallSiteArgumentsBeforeRegisteredOnes() {
        meta.addContext("pair", Pair.class, "registered");
        assertSame(Pair.class, meta.getContext("pair"));
        Pair pair = (Pair) meta.buildContext("pair", "call");
        assertEquals("call+registered", pair.value);
        Pair withNull = (Pair) meta.buildContext("pair", (Object) null);
        assertEquals("null+registered", withNull.value);
        assertNull(meta.getContext("absent"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> meta.buildContext("pair", 1, 2));
        assertTrue(e.getMessage().contains("candidates"), e.getMessage());
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
        meta.addSource(TestServices.source("t", 0, () -> new Simple("t")));
        awaitState("t", ServiceState.RUNNING);
        meta.close();
        await("no jsorc/ thread left").atMost(Duration.ofSeconds(15)).until(() -> Thread.getAllStackTraces().keySet()
                .stream().noneMatch(t -> t.getName().startsWith("jsorc/") && t.isAlive()));
    }

    /** A context class with two arguments. */
    public static final class Pair {
        final String value;

        public Pair(String first, String second) {
            this.value = first + "+" + second;
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
