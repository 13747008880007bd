package io.jsorc.meta.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jsorc.api.CommonService;
import io.jsorc.api.Hook;
import io.jsorc.api.ServiceInfo;
import io.jsorc.api.ServiceState;
import io.jsorc.meta.internal.TestServices.App;
import io.jsorc.meta.internal.TestServices.Hanging;
import io.jsorc.meta.internal.TestServices.Simple;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the foundation review found: leaks, unbounded waits, retire re-reading settings, races. Each test fails on
 * the code before its fix.
 */
class MetaServiceBoundsTest extends MetaServiceTestBase {

    /** Waits for {@code latch}, ignoring interrupts, as I/O that does not react to them does. */
    static void awaitIgnoringInterrupts(CountDownLatch latch) {
        while (latch.getCount() > 0) {
            try {
                latch.await();
            } catch (InterruptedException e) {
                // ignored on purpose
            }
        }
    }

    /** The instance of {@code name}, once no transition of it is pending. */
    CommonService<?> settled(String name) {
        CommonService<?> service = meta.getService(name, null);
        await("no transition of " + name + " pending").atMost(Duration.ofSeconds(5))
                .until(() -> !meta.transitionsPending(service));
        return service;
    }

    /** {@code name} ends FAILED, without an app, with its 1 s start bound as its last error. */
    void assertFailedWithTheTimeout(String name) {
        awaitState(name, ServiceState.FAILED);
        CommonService<?> service = settled(name);
        assertEquals(ServiceState.FAILED, service.getState());
        assertNull(service.getApp());
        String lastError = meta.info(name).orElseThrow().lastError();
        assertTrue(lastError.contains("did not finish within 1 s"), lastError);
    }

    static boolean threadAlive(String prefix) {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.isAlive() && t.getName().startsWith(prefix));
    }

    /** Blocks until interrupted, and keeps the interrupt (a daemon's body). */
    static void untilInterrupted() {
        try {
            new CountDownLatch(1).await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Unregisters {@code source} on a thread of its own and returns it once that waits behind the name's lane. */
    Thread leaveBehindLaneWork(ServiceSource source, String why) {
        Thread leaver = new Thread(() -> meta.unregister(source));
        leaver.start();
        await(why).until(() -> leaver.getState() == Thread.State.TIMED_WAITING);
        return leaver;
    }

    /** A factory whose second build says so on {@code inFactory} and waits for {@code letGo}. */
    static java.util.function.Supplier<CommonService<?>> secondBuildWaits(CountDownLatch inFactory,
            CountDownLatch letGo, java.util.function.Supplier<CommonService<?>> make) {
        java.util.concurrent.atomic.AtomicInteger made = new java.util.concurrent.atomic.AtomicInteger();
        return () -> {
            if (made.incrementAndGet() == 2) {
                inFactory.countDown();
                try {
                    letGo.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return make.get();
        };
    }

    /** Defect 1: a retired or released instance must not stay reachable from MetaService. */
    @Test
    void retiredAndReleasedInstancesAreNotKeptReachable() {
        ServiceSource source = TestServices.source("leak", 0, () -> new Simple("leak"));
        meta.register(source);
        awaitState("leak", ServiceState.RUNNING);
        WeakReference<CommonService<?>> background = new WeakReference<>(meta.getService("leak", null));
        CommonService<?> built = meta.buildService("leak", false, null);
        WeakReference<CommonService<?>> disposable = new WeakReference<>(built);
        meta.release(built);
        built = null;
        meta.unregister(source);
        assertEquals(0, meta.liveInstances());
        await("the retired instances to be collected").atMost(Duration.ofSeconds(20)).until(() -> {
            System.gc();
            return background.get() == null && disposable.get() == null;
        });
    }

    /** Defect 9: retiring only stops and closes; it never re-reads settings (which re-created a deleted glob). */
    @Test
    void retiringNeverRunsTheServicesSettingsAgain() {
        ServiceSource source = TestServices.source("quiet", 0, () -> new Simple("quiet"));
        meta.register(source);
        awaitState("quiet", ServiceState.RUNNING);
        globs.delete("QUIET_CONFIG", null, MetaServiceImplTest.TEST);
        meta.unregister(source);
        assertFalse(globs.exists("QUIET_CONFIG"), "the operator's delete stands");
    }

    /** Defect 7: a closeApp that hangs (reacting to interrupt) cannot hold a departure past its bound. */
    @Test
    void aHungCloseAppIsAbandonedWithinTheStopTimeoutAndLeavesNoThread() {
        CountDownLatch never = new CountDownLatch(1);
        ServiceSource source = TestServices.source("closer", 0, 30, 1, () -> new Simple("closer") {
            @Override
            protected void closeApp(App app) throws Exception {
                never.await();
            }
        });
        meta.register(source);
        awaitState("closer", ServiceState.RUNNING);
        long begin = System.nanoTime();
        meta.unregister(source);
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
        assertTrue(took < Registry.removalBound(source).toMillis(), "left within its bound: " + took + " ms");
        assertTrue(took >= 900, "it did wait for closeApp up to the stop timeout: " + took + " ms");
        await("no thread of the service").until(() -> !threadAlive("jsorc/closer/"));
    }

    /** Defect 7: a run that ignores interrupts is abandoned at once when its registration leaves. */
    @Test
    void aRunThatIgnoresInterruptIsAbandonedAtOnceAndReported() {
        Hanging hanging = new Hanging(true);
        ServiceSource source = TestServices.source("stuck", 0, 30, 1, () -> hanging);
        meta.register(source);
        awaitState("stuck", ServiceState.STARTED);
        long begin = System.nanoTime();
        meta.unregister(source);
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
        assertTrue(took < 10_000, "not the 30 s start timeout: " + took + " ms");
        assertTrue(threadAlive("jsorc/stuck/run"), "the thread that ignores its interrupt is left running");
        hanging.release.countDown();
        await("the abandoned run to end and give its thread back").until(() -> !threadAlive("jsorc/stuck/"));
        assertTrue(hanging.apps.stream().allMatch(app -> app.closed), "its late app closed, never published");
    }

    /** A hung run that reacts to its interrupt times out (start timeout), FAILS with the stack, leaves no thread. */
    @Test
    void aHungRunTimesOutWithTheHungStackWhileInfoKeepsAnswering() {
        Hanging hanging = new Hanging(false);
        meta.register(TestServices.source("hang", 0, 1, 1, () -> hanging));
        awaitState("hang", ServiceState.STARTED);
        assertEquals(2, meta.infos().size(), "infos answer while run hangs");
        awaitState("hang", ServiceState.FAILED);
        ServiceInfo info = meta.info("hang").orElseThrow();
        assertEquals("java.util.concurrent.TimeoutException: run did not finish within 1 s", info.lastError());
        assertTrue(info.lastErrorDetail().contains("Hanging.run"), info.lastErrorDetail());
        assertEquals(List.of(), info.abandonedThreads());
        await("no run thread").until(() -> !threadAlive("jsorc/hang/"));
    }

    /** The abandoned thread of an ignoring run is shown in service-info while it lives. */
    @Test
    void anAbandonedThreadIsShownInServiceInfo() {
        Hanging hanging = new Hanging(true);
        meta.register(TestServices.source("shown", 0, 1, 1, () -> hanging));
        awaitState("shown", ServiceState.FAILED);
        List<String> abandoned = meta.info("shown").orElseThrow().abandonedThreads();
        assertEquals(1, abandoned.size(), abandoned.toString());
        assertTrue(abandoned.get(0).startsWith("jsorc/shown/run: run (since "), abandoned.get(0));
        hanging.release.countDown();
        await("gone once the thread ended").until(() -> meta.info("shown").orElseThrow().abandonedThreads().isEmpty());
    }

    /** A service resetting itself from postRun runs that reset inline instead of waiting for itself. */
    @Test
    void aServiceResettingItselfFromPostRunDoesNotWaitForItself() {
        AtomicReference<Integer> runs = new AtomicReference<>(0);
        meta.register(TestServices.source("self", 0, 2, 1, () -> new Simple("self") {
            @Override
            protected void postRun(Hook hook) {
                runs.set(runs.get() + 1);
                if (runs.get() == 1) {
                    selfReset(hook);
                }
            }
        }));
        awaitState("self", ServiceState.RUNNING);
        assertEquals(2, runs.get());
        assertNull(meta.info("self").orElseThrow().lastError(), "no timeout: the reset ran inline");
    }

    /** A daemon failing its own service does not wait for the stop that joins it. */
    @Test
    void aDaemonFailingItsOwnServiceReturnsAtOnce() {
        AtomicReference<Long> failTook = new AtomicReference<>();
        meta.register(TestServices.source("d", 0, 5, 5, () -> new Simple("d") {
            @Override
            protected void postRun(Hook hook) {
                daemon("worker", () -> {
                    long begin = System.nanoTime();
                    selfFail(new IllegalStateException("lost the connection"));
                    failTook.set(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin));
                    try {
                        new CountDownLatch(1).await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
            }
        }));
        awaitState("d", ServiceState.FAILED);
        await("the daemon returned from failed").until(() -> failTook.get() != null);
        assertTrue(failTook.get() < 1000, "failed() from a daemon only queues: " + failTook.get() + " ms");
        assertEquals("java.lang.IllegalStateException: lost the connection",
                meta.info("d").orElseThrow().lastError());
        await("its daemon stopped").until(() -> !threadAlive("jsorc/d/worker"));
    }

    /** Two services whose postRun start each other: bounded, never a permanent deadlock. */
    @Test
    void twoServicesStartingEachOtherFromPostRunDoNotDeadlockForever() {
        for (String[] pair : new String[][] {{"ping", "pong"}, {"pong", "ping"}}) {
            globs.set(pair[0].toUpperCase() + "_CONFIG", "{\"enabled\":false}", null, MetaServiceImplTest.TEST);
            meta.register(TestServices.source(pair[0], 0, 1, 1, () -> new Simple(pair[0]) {
                @Override
                protected void postRun(Hook hook) {
                    hook.meta().start(pair[1]);
                }
            }));
        }
        for (String name : List.of("ping", "pong")) {
            globs.set(name.toUpperCase() + "_CONFIG", "{\"enabled\":true}", null, MetaServiceImplTest.TEST);
            meta.reset(meta.getService(name, null), null, false);
        }
        long begin = System.nanoTime();
        meta.start("ping");
        assertTrue(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - begin) < 10, "bounded by the start timeout");
        await("both settled").atMost(Duration.ofSeconds(15)).until(() -> List.of("ping", "pong").stream()
                .map(n -> meta.info(n).orElseThrow().state())
                .allMatch(s -> s == ServiceState.RUNNING || s == ServiceState.FAILED));
    }

    /** Defect 8: a disposable being built while its registration leaves is released with it. */
    @Test
    void aDisposableBuiltWhileItsRegistrationLeavesIsReleasedWithIt() throws Exception {
        CountDownLatch inFactory = new CountDownLatch(1);
        CountDownLatch letGo = new CountDownLatch(1);
        List<Simple> made = new ArrayList<>();
        ServiceSource source = TestServices.source("race", 0, () -> {
            Simple simple = new Simple("race");
            synchronized (made) {
                made.add(simple);
                if (made.size() == 2) {
                    inFactory.countDown();
                    try {
                        letGo.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
            return simple;
        });
        meta.register(source);
        AtomicReference<CommonService<?>> disposable = new AtomicReference<>();
        Thread builder = new Thread(() -> disposable.set(meta.buildService("race", false, null)));
        builder.start();
        assertTrue(inFactory.await(10, TimeUnit.SECONDS));
        Thread leaver = leaveBehindLaneWork(source, "the departure is queued behind the build");
        letGo.countDown();
        builder.join(10_000);
        leaver.join(10_000);
        assertFalse(leaver.isAlive());
        assertEquals(0, meta.liveInstances(), "the disposable did not escape the departure");
        assertTrue(disposable.get() == null || !disposable.get().isRunning());
        if (disposable.get() != null) {
            CommonService<?> built = disposable.get();
            assertThrows(IllegalArgumentException.class, () -> meta.start(built, null), "it is no longer live");
        }
    }

    /** Defect 8: info and service-list answer while registrations come and go (the sources are read once). */
    @Test
    void infoNeverFailsWhileRegistrationsComeAndGo() throws Exception {
        List<ServiceSource> sources = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            sources.add(TestServices.source("churn", i, () -> new Simple("c")));
        }
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            for (int i = 0; i < 20_000 && failure.get() == null; i++) {
                try {
                    meta.info("churn");
                    meta.infos();
                } catch (Throwable e) {
                    failure.set(e);
                }
            }
        });
        reader.start();
        for (int round = 0; round < 30 && reader.isAlive(); round++) {
            for (ServiceSource source : sources) {
                meta.register(source);
            }
            for (ServiceSource source : sources) {
                meta.unregister(source);
            }
        }
        reader.join(60_000);
        assertNull(failure.get());
    }

    /** Review finding 1: a daemon failing as the refresh stops it does not fail the new run. */
    @Test
    void aDaemonFailingAsARefreshStopsItDoesNotFailTheNewRun() {
        meta.register(TestServices.source("reader", 0, 5, 2, () -> new Simple("reader") {
            @Override
            protected void postRun(Hook hook) {
                daemon("read", () -> {
                    try {
                        new CountDownLatch(1).await();
                    } catch (InterruptedException e) {
                        selfFail(new java.io.IOException("read interrupted"));
                    }
                });
            }
        }));
        awaitState("reader", ServiceState.RUNNING);
        assertTrue(meta.refresh("reader"));
        awaitState("reader", ServiceState.RUNNING);
        CommonService<?> service = meta.getService("reader", null);
        await("the dropped failure to have been handled").atMost(Duration.ofSeconds(5))
                .until(() -> !meta.transitionsPending(service));
        assertEquals(ServiceState.RUNNING, service.getState(), "run 2 was not failed by run 1's daemon");
        assertNull(meta.info("reader").orElseThrow().lastError());
    }

    /** Review finding 3: an app thread failing the service while closeApp joins it does not deadlock. */
    @Test
    void anAppThreadFailingTheServiceWhileCloseAppJoinsItDoesNotDeadlock() {
        meta.register(TestServices.source("client", 0, 5, 3, () -> new Simple("client") {
            Thread io;

            @Override
            protected App run(Hook hook) throws Exception {
                App app = super.run(hook);
                io = new Thread(() -> {
                    try {
                        new CountDownLatch(1).await();
                    } catch (InterruptedException e) {
                        selfFail(new java.io.IOException("connection closed"));
                    }
                }, "client-io");
                io.start();
                return app;
            }

            @Override
            protected void closeApp(App app) throws Exception {
                io.interrupt();
                io.join();
            }
        }));
        awaitState("client", ServiceState.RUNNING);
        long begin = System.nanoTime();
        assertTrue(meta.refresh("client"));
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
        assertTrue(took < 2_000, "closeApp was not held until its 3 s bound: " + took + " ms");
        awaitState("client", ServiceState.RUNNING);
    }

    /** Review finding 2: a stopper is bounded; one that ignores its interrupt is shown after the instance is gone. */
    @Test
    void aHungStopperIsAbandonedAndStillShownAfterItsInstanceWasReplaced() {
        CountDownLatch release = new CountDownLatch(1);
        meta.register(TestServices.source("stop", 0, 5, 1, () -> new Simple("stop") {
            @Override
            protected void postRun(Hook hook) {
                spawnDaemon("w", MetaServiceBoundsTest::untilInterrupted, () -> {
                    awaitIgnoringInterrupts(release);
                });
            }
        }));
        awaitState("stop", ServiceState.RUNNING);
        long begin = System.nanoTime();
        assertTrue(meta.refresh("meta"));
        assertTrue(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - begin) < 5, "bounded by the stop timeout");
        List<String> abandoned = meta.info("stop").orElseThrow().abandonedThreads();
        assertEquals(1, abandoned.size(), abandoned.toString());
        assertTrue(abandoned.get(0).startsWith("jsorc/stop/stopper w: stopper w (since "), abandoned.get(0));
        release.countDown();
        await("gone once it ended").until(() -> meta.info("stop").orElseThrow().abandonedThreads().isEmpty());
    }

    /**
     * Review 2, finding 3: a daemon stopping another daemon (its stopper is an author call) while postRun holds the
     * inline right neither takes that right nor puts a stale holder back afterwards.
     */
    @Test
    void aDaemonStoppingAnotherNeverBecomesOrLeavesTheInlineHolder() {
        CountDownLatch stopperEntered = new CountDownLatch(1);
        CountDownLatch letStopperEnd = new CountDownLatch(1);
        AtomicReference<Thread> inlineWhileStopping = new AtomicReference<>();
        AtomicReference<Thread> postRunThread = new AtomicReference<>();
        meta.register(TestServices.source("ctl", 0, 5, 5, () -> new Simple("ctl") {
            @Override
            protected void postRun(Hook hook) {
                postRunThread.set(Thread.currentThread());
                spawnDaemon("w", MetaServiceBoundsTest::untilInterrupted, () -> {
                    stopperEntered.countDown();
                    letStopperEnd.await(10, TimeUnit.SECONDS);
                });
                daemon("ctl", () -> terminateDaemon("w"));
                try {
                    assertTrue(stopperEntered.await(10, TimeUnit.SECONDS), "the stopper of w was called");
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                inlineWhileStopping.set(meta.inlineThread(this));
            }
        }));
        awaitState("ctl", ServiceState.RUNNING);
        assertEquals(postRunThread.get(), inlineWhileStopping.get(), "postRun kept the right while the stopper ran");
        CommonService<?> service = meta.getService("ctl", null);
        assertNull(meta.inlineThread(service), "the transition is over");
        letStopperEnd.countDown();
        await("the ctl daemon ended").until(() -> !threadAlive("jsorc/ctl/ctl"));
        assertNull(meta.inlineThread(service), "nobody holds the inline right after the stopper returned");
    }

    /** Review finding 7: retiring while closeApp runs does not abandon it: the app is closed. */
    @Test
    void retiringWhileCloseAppRunsLetsItFinish() throws Exception {
        CountDownLatch inClose = new CountDownLatch(1);
        CountDownLatch letClose = new CountDownLatch(1);
        List<App> closed = new java.util.concurrent.CopyOnWriteArrayList<>();
        ServiceSource source = TestServices.source("slowclose", 0, 5, 5, () -> new Simple("slowclose") {
            @Override
            protected void closeApp(App app) throws Exception {
                inClose.countDown();
                letClose.await();
                closed.add(app);
            }
        });
        meta.register(source);
        awaitState("slowclose", ServiceState.RUNNING);
        Thread refresher = new Thread(() -> meta.refresh("slowclose"));
        refresher.start();
        assertTrue(inClose.await(10, TimeUnit.SECONDS));
        Thread leaver = leaveBehindLaneWork(source, "the departure waits for the close");
        letClose.countDown();
        leaver.join(10_000);
        refresher.join(10_000);
        assertEquals(1, closed.size(), "the app was closed, not abandoned");
    }

    /** Review finding 6: an instance whose factory still runs when its registration leaves is never used. */
    @Test
    void anInstanceBuiltWhileItsRegistrationLeavesIsHandedBackUnused() throws Exception {
        CountDownLatch inFactory = new CountDownLatch(1);
        CountDownLatch letGo = new CountDownLatch(1);
        List<String> settingsBuilt = new java.util.concurrent.CopyOnWriteArrayList<>();
        ServiceSource source = TestServices.source("late", 0, 5, 1, secondBuildWaits(inFactory, letGo,
                () -> new Simple("late") {
                    @Override
                    protected java.util.Map<String, Object> buildConfig(Hook hook) {
                        settingsBuilt.add("built");
                        return super.buildConfig(hook);
                    }
                }));
        meta.register(source);
        Thread rebuild = new Thread(() -> meta.refresh("meta"));
        rebuild.start();
        assertTrue(inFactory.await(10, TimeUnit.SECONDS));
        Thread leaver = leaveBehindLaneWork(source, "the departure is queued behind the build");
        int before = settingsBuilt.size();
        letGo.countDown();
        leaver.join(15_000);
        rebuild.join(15_000);
        assertFalse(leaver.isAlive());
        assertEquals(before, settingsBuilt.size(), "no author code of the departed registration ran");
        assertEquals(0, meta.liveInstances());
    }

    /**
     * Review 2, finding 5: handing back an instance built while its registration left (ungetService, so the author's
     * {@code @Deactivate}) is bounded: a hung one does not hold the name's lane, a new registration of it runs.
     */
    @Test
    void aHungHandBackOfAnUnusedInstanceDoesNotHoldTheName() throws Exception {
        CountDownLatch inFactory = new CountDownLatch(1);
        CountDownLatch letGo = new CountDownLatch(1);
        CountDownLatch releaseHangs = new CountDownLatch(1);
        List<CommonService<?>> built = new java.util.concurrent.CopyOnWriteArrayList<>();
        ServiceSource source = new ServiceSource("unget", 9_001, 0, "test.bundle.unget", "UNGET_CONFIG", null,
                Duration.ofSeconds(5), Duration.ofSeconds(1), secondBuildWaits(inFactory, letGo,
                        () -> {
                            Simple made = new Simple("unget");
                            built.add(made);
                            return made;
                        }), instance -> {
                    if (built.size() > 1 && instance == built.get(1)) { // the unused one: its @Deactivate hangs
                        awaitIgnoringInterrupts(releaseHangs);
                    }
                }, null);
        meta.register(source);
        awaitState("unget", ServiceState.RUNNING);
        Thread rebuild = new Thread(() -> meta.refresh("meta"));
        rebuild.start();
        assertTrue(inFactory.await(10, TimeUnit.SECONDS));
        Thread leaver = leaveBehindLaneWork(source, "the departure is queued behind the build");
        letGo.countDown();
        meta.register(TestServices.source("unget", 0, 5, 1, () -> new Simple("unget again")));
        awaitState("unget", ServiceState.RUNNING);
        assertEquals("unget again", ((App) meta.getService("unget", null).getApp()).owner);
        List<String> abandoned = meta.info("unget").orElseThrow().abandonedThreads();
        assertTrue(abandoned.stream().anyMatch(a -> a.startsWith("jsorc/unget/release: release (since ")),
                "review 3, finding 5: the hung hand-back is listed: " + abandoned);
        releaseHangs.countDown();
        await("gone once it ended").until(() -> meta.info("unget").orElseThrow().abandonedThreads().isEmpty());
        leaver.join(15_000);
        rebuild.join(15_000);
        assertFalse(leaver.isAlive());
    }

    /** Review 2, finding 9: a run that fails its own service and then returns an app leaves it FAILED, the app closed. */
    @Test
    void aRunThatFailsItsOwnServiceEndsFailedWithItsAppClosed() {
        AtomicReference<App> built = new AtomicReference<>();
        meta.register(TestServices.source("selfish", 0, 5, 5, () -> new Simple("selfish") {
            @Override
            protected App run(Hook hook) throws Exception {
                App app = super.run(hook);
                built.set(app);
                selfFail(new IllegalStateException("gave up"));
                return app;
            }
        }));
        awaitState("selfish", ServiceState.FAILED);
        CommonService<?> service = settled("selfish");
        assertEquals(ServiceState.FAILED, service.getState());
        assertNull(service.getApp());
        assertTrue(built.get().closed, "the app run returned was closed");
        assertEquals("java.lang.IllegalStateException: gave up", meta.info("selfish").orElseThrow().lastError());
    }

    /**
     * Review 3, finding 1: an author thread abandoned at its bound changes nothing afterwards: a postRun that ignored
     * its interrupt and goes on cannot reset (restart) the service that was failed meanwhile.
     */
    @Test
    void anAbandonedPostRunThatGoesOnCannotRestartItsFailedService() throws Exception {
        CountDownLatch letGo = new CountDownLatch(1);
        CountDownLatch tried = new CountDownLatch(1);
        AtomicReference<Throwable> resetOutcome = new AtomicReference<>();
        meta.register(TestServices.source("obstinate", 0, 1, 1, () -> new Simple("obstinate") {
            int posts;

            @Override
            protected void postRun(Hook hook) {
                if (++posts > 1) {
                    return;
                }
                awaitIgnoringInterrupts(letGo);
                try {
                    selfReset(hook);
                    resetOutcome.set(new AssertionError("the reset ran"));
                } catch (RuntimeException e) {
                    resetOutcome.set(e);
                } finally {
                    tried.countDown();
                }
            }
        }));
        awaitState("obstinate", ServiceState.FAILED); // postRun past its 1 s bound
        letGo.countDown();
        assertTrue(tried.await(10, TimeUnit.SECONDS));
        assertTrue(resetOutcome.get() instanceof java.util.concurrent.CancellationException,
                "refused: " + resetOutcome.get());
        CommonService<?> service = settled("obstinate");
        assertEquals(ServiceState.FAILED, service.getState());
    }

    /**
     * Review 3, finding 2: a run that resets (and so restarts) its own service leaves the nested start running. Review
     * 4, finding 4: also when it throws after that reset: the failure belonged to the run its reset already ended.
     */
    @ParameterizedTest(name = "then throws: {0}")
    @ValueSource(booleans = {false, true})
    void aRunThatResetsItsOwnServiceLeavesTheNestedStartRunning(boolean thenThrows) {
        List<App> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        meta.register(TestServices.source("again", 0, 5, 5, () -> new Simple("again") {
            int runs;

            @Override
            protected App run(Hook hook) throws Exception {
                App app = super.run(hook);
                seen.add(app);
                if (++runs == 1) {
                    selfReset(hook);
                    if (thenThrows) {
                        throw new IllegalStateException("the outer run fails after its reset");
                    }
                }
                return app;
            }
        }));
        awaitState("again", ServiceState.RUNNING);
        CommonService<?> service = settled("again");
        assertEquals(ServiceState.RUNNING, service.getState());
        assertEquals(2, seen.size());
        assertTrue(seen.get(1) == service.getApp(), "the nested start's app is the one running");
        assertEquals(!thenThrows, seen.get(0).closed, "the app the outer run returned was closed (one it threw "
                + "away is its own)");
        assertFalse(seen.get(1).closed);
    }

    /**
     * Review 4, finding 1: a run abandoned at its start bound that goes on after the service was refreshed and runs
     * again can neither spawn a daemon (it would join the new run) nor fail the new run.
     */
    @Test
    void anAbandonedRunThatGoesOnCanNeitherSpawnADaemonNorFailTheNextRun() throws Exception {
        CountDownLatch letGo = new CountDownLatch(1);
        CountDownLatch tried = new CountDownLatch(1);
        AtomicReference<Throwable> spawnOutcome = new AtomicReference<>();
        meta.register(TestServices.source("late", 0, 1, 1, () -> new Simple("late") {
            int runs;

            @Override
            protected App run(Hook hook) throws Exception {
                if (++runs > 1) {
                    return super.run(hook);
                }
                awaitIgnoringInterrupts(letGo);
                try {
                    daemon("reader", () -> { });
                    spawnOutcome.set(new AssertionError("the daemon was spawned"));
                } catch (RuntimeException e) {
                    spawnOutcome.set(e);
                }
                selfFail(new java.io.IOException("late failure of the first run"));
                tried.countDown();
                return super.run(hook);
            }
        }));
        awaitState("late", ServiceState.FAILED); // run past its 1 s bound
        assertTrue(meta.refresh("late"));
        awaitState("late", ServiceState.RUNNING);
        letGo.countDown();
        assertTrue(tried.await(10, TimeUnit.SECONDS));
        assertTrue(spawnOutcome.get() instanceof java.util.concurrent.CancellationException,
                "refused: " + spawnOutcome.get());
        CommonService<?> service = settled("late");
        assertEquals(ServiceState.RUNNING, service.getState());
        assertEquals(List.of(), meta.info("late").orElseThrow().daemons());
        assertFalse(meta.info("late").orElseThrow().lastError().contains("late failure"),
                meta.info("late").orElseThrow().lastError());
    }

    /**
     * Review 4, finding 2: a postRun cut off while its own reset waits for a hung closeApp does not go on with the
     * rest of that reset: the service stays FAILED, with no app, and its listeners see nothing after FAILED.
     */
    @Test
    void aPostRunCutOffInsideItsOwnResetDoesNotFinishTheReset() throws Exception {
        CountDownLatch closing = new CountDownLatch(1);
        CountDownLatch letGo = new CountDownLatch(1);
        CountDownLatch resetReturned = new CountDownLatch(1);
        AtomicReference<Throwable> resetOutcome = new AtomicReference<>();
        List<ServiceState> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        meta.addStateListener(event -> {
            if (event.name().equals("cut")) {
                seen.add(event.to());
            }
        });
        meta.register(TestServices.source("cut", 0, 1, 1, () -> new Simple("cut") {
            int posts;

            @Override
            protected void postRun(Hook hook) {
                if (++posts > 1) {
                    return;
                }
                try {
                    selfReset(hook);
                    resetOutcome.set(new AssertionError("the reset returned normally"));
                } catch (RuntimeException e) {
                    resetOutcome.set(e);
                } finally {
                    resetReturned.countDown();
                }
            }

            @Override
            protected void closeApp(App app) throws Exception {
                closing.countDown();
                awaitIgnoringInterrupts(letGo);
                super.closeApp(app);
            }
        }));
        awaitState("cut", ServiceState.FAILED); // postRun's bound passed while its reset waited for closeApp
        assertTrue(closing.await(1, TimeUnit.SECONDS));
        letGo.countDown();
        assertTrue(resetReturned.await(10, TimeUnit.SECONDS));
        assertTrue(resetOutcome.get() instanceof java.util.concurrent.CancellationException,
                "refused: " + resetOutcome.get());
        CommonService<?> service = settled("cut");
        assertEquals(ServiceState.FAILED, service.getState());
        assertNull(service.getApp());
        await("the listener heard FAILED").atMost(Duration.ofSeconds(5)).until(() -> seen.contains(ServiceState.FAILED));
        assertEquals(ServiceState.FAILED, seen.get(seen.size() - 1), "nothing after FAILED: " + seen);
    }

    /**
     * Review 5, finding 1: a run that resets its own service, whose nested start then outlasts the outer bound, ends
     * FAILED with the timeout as its last error (not left STARTED without an app).
     */
    @Test
    void aNestedStartThatOutlastsTheOuterBoundEndsFailed() {
        meta.register(TestServices.source("nested", 0, 1, 1, () -> new Simple("nested") {
            int runs;

            @Override
            protected App run(Hook hook) throws Exception {
                if (++runs == 1) {
                    selfReset(hook); // the nested start below hangs until interrupted
                    return super.run(hook);
                }
                new CountDownLatch(1).await();
                throw new AssertionError("never released");
            }
        }));
        assertFailedWithTheTimeout("nested");
    }

    /**
     * Review 6, finding 1: the same when the nested start is RUNNING but its postRun is still under way when the outer
     * bound passes: that start has not ended, so the service FAILS with the timeout.
     */
    @Test
    void aNestedStartWhosePostRunOutlastsTheOuterBoundEndsFailed() {
        meta.register(TestServices.source("nestedpost", 0, 1, 1, () -> new Simple("nestedpost") {
            int runs;
            int posts;

            @Override
            protected App run(Hook hook) throws Exception {
                if (++runs == 1) {
                    selfReset(hook); // the nested start's postRun below hangs until interrupted
                }
                return super.run(hook);
            }

            @Override
            protected void postRun(Hook hook) {
                if (++posts > 1) {
                    return;
                }
                try {
                    new CountDownLatch(1).await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("postRun interrupted", e);
                }
            }
        }));
        assertFailedWithTheTimeout("nestedpost");
    }
}
