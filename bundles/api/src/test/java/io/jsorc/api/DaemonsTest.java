package io.jsorc.api;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jsorc.api.runtime.InstanceControl;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Daemons: named, stopped by interrupt + stopper + bounded join, never outliving a stop. */
class DaemonsTest {

    static final class Svc extends CommonServiceTest.Svc {
        volatile Runnable inPostRun = () -> { };

        @Override
        protected void postRun(Hook hook) {
            inPostRun.run();
        }

        Thread spawn(String name, Runnable body, AutoCloseable stopper) {
            return spawnDaemon(name, body, stopper);
        }

        void selfFail(Throwable error) {
            failed(error);
        }

        void terminate(String... names) {
            terminateDaemon(names);
        }
    }

    final TestRuntime runtime = new TestRuntime("svc");

    static Runnable awaiting(CountDownLatch latch) {
        return () -> {
            try {
                latch.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }

    /** Waits for {@code release}, ignoring every interrupt. */
    static Runnable ignoringInterrupts(CountDownLatch release) {
        return () -> {
            while (release.getCount() > 0) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    // ignored on purpose
                }
            }
        };
    }

    InstanceControl<Hook> started(Svc svc) {
        InstanceControl<Hook> control = TestRuntime.bind(svc, runtime);
        control.buildSettings(null);
        control.start(null);
        return control;
    }

    @Test
    void daemonsAreNamedAfterTheServiceAndStopWithInterruptThenStopper() {
        AtomicBoolean interruptedBeforeStopper = new AtomicBoolean();
        AtomicReference<Thread> worker = new AtomicReference<>();
        Svc svc = new Svc();
        // park() leaves the interrupt flag set (unlike await()), so the stopper sees it exactly
        Runnable parking = () -> {
            while (!Thread.currentThread().isInterrupted()) {
                java.util.concurrent.locks.LockSupport.park();
            }
        };
        svc.inPostRun = () -> worker.set(svc.spawn("worker", parking,
                () -> interruptedBeforeStopper.set(worker.get().isInterrupted() || !worker.get().isAlive())));
        InstanceControl<Hook> control = started(svc);
        assertEquals("jsorc/svc/worker", worker.get().getName());
        assertEquals(List.of("worker"), svc.getDaemons());
        control.reset(null, false);
        assertFalse(worker.get().isAlive(), "joined before the reset returned");
        assertTrue(interruptedBeforeStopper.get(), "the stopper is closed after the interrupt");
        assertEquals(List.of(), svc.getDaemons());
    }

    @Test
    void spawnDaemonReturnsTheLiveOneOfThatName() {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger bodies = new AtomicInteger();
        AtomicReference<Thread> first = new AtomicReference<>();
        AtomicReference<Thread> second = new AtomicReference<>();
        Svc svc = new Svc();
        Runnable body = () -> {
            bodies.incrementAndGet();
            awaiting(release).run();
        };
        svc.inPostRun = () -> {
            first.set(svc.spawn("d", body, null));
            second.set(svc.spawn("d", body, null));
        };
        started(svc);
        assertSame(first.get(), second.get());
        await("the daemon body ran").until(() -> bodies.get() == 1);
        svc.terminate("d");
        assertFalse(first.get().isAlive());
        assertEquals(1, bodies.get());
        assertEquals(List.of(), svc.getDaemons());
    }

    @Test
    void aDeadDaemonsNameCanBeSpawnedAgainAndTerminateStopsOnlyTheNamedOnes() {
        CountDownLatch release = new CountDownLatch(1);
        Svc svc = new Svc();
        AtomicReference<Thread> quick = new AtomicReference<>();
        svc.inPostRun = () -> {
            quick.set(svc.spawn("quick", () -> { }, null));
            svc.spawn("slow", awaiting(release), null);
        };
        started(svc);
        await("the quick daemon ended").until(() -> !quick.get().isAlive());
        assertEquals(List.of("slow"), svc.getDaemons(), "only live daemons are listed");
        Thread again = svc.spawn("quick", awaiting(release), null);
        assertTrue(again != quick.get());
        svc.terminate("quick");
        assertFalse(again.isAlive());
        assertEquals(List.of("slow"), svc.getDaemons());
        svc.terminate();
        assertEquals(List.of(), svc.getDaemons());
    }

    @Test
    void daemonsAreRefusedOutsideAStartAndAfterAStop() {
        Svc svc = new Svc();
        InstanceControl<Hook> control = TestRuntime.bind(svc, runtime);
        control.buildSettings(null);
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> svc.spawn("early", () -> { }, null));
        assertEquals("Daemon early of svc refused: the service is not starting or running", refused.getMessage());
        control.start(null);
        control.reset(null, false);
        assertThrows(IllegalStateException.class, () -> svc.spawn("late", () -> { }, null));
        assertEquals(List.of(), svc.getDaemons());
    }

    @Test
    void aDaemonThatIgnoresInterruptAndStopperIsReportedAsAbandoned() {
        CountDownLatch release = new CountDownLatch(1);
        Svc svc = new Svc();
        runtime.stopTimeout = Duration.ofMillis(200);
        svc.inPostRun = () -> svc.spawn("obstinate", ignoringInterrupts(release), null);
        InstanceControl<Hook> control = started(svc);
        control.reset(null, false);
        assertEquals(List.of("daemon obstinate@jsorc/svc/obstinate"), runtime.abandonedThreads);
        assertEquals(List.of(), svc.getDaemons(), "forgotten, though its thread lives on");
        release.countDown();
    }

    /** Review finding: a stopper is author code too, bounded like the rest; a hung one cannot hold the stop. */
    @Test
    void aHungStopperIsAbandonedAtTheStopTimeout() {
        CountDownLatch forever = new CountDownLatch(1);
        Svc svc = new Svc();
        runtime.abandon.add("stopper w");
        AtomicReference<Thread> worker = new AtomicReference<>();
        svc.inPostRun = () -> worker.set(svc.spawn("w", awaiting(forever), () -> awaiting(forever).run()));
        InstanceControl<Hook> control = started(svc);
        control.reset(null, false);
        assertTrue(runtime.authorCalls.contains("stopper w"), "the stopper ran as a bounded author call");
        assertFalse(worker.get().isAlive(), "the interrupt still stopped the daemon");
        forever.countDown();
    }

    /**
     * Reviews 2 and 3, finding 4 and 3: the stoppers are closed all at once, each with the whole stop deadline, so a
     * hung one neither pushes the stop past its bound nor keeps the others from being called.
     */
    @Test
    void everyStopperIsCalledAtOnceWithTheWholeDeadline() {
        CountDownLatch forever = new CountDownLatch(1);
        Svc svc = new Svc();
        runtime.stopTimeout = Duration.ofSeconds(2);
        for (String name : List.of("a", "b", "c")) {
            runtime.abandon.add("stopper " + name);
            runtime.useWholeTimeout.add("stopper " + name);
        }
        svc.inPostRun = () -> {
            for (String name : List.of("a", "b", "c")) {
                svc.spawn(name, awaiting(forever), () -> awaiting(forever).run());
            }
        };
        InstanceControl<Hook> control = started(svc);
        control.reset(null, false);
        for (String name : List.of("a", "b", "c")) {
            Duration bound = runtime.bounds.get("stopper " + name);
            assertTrue(bound != null && bound.toMillis() > 1_500, "stopper " + name + " had the deadline: " + bound);
        }
        forever.countDown();
    }

    /** Review finding 1: a daemon failing because a reset stops it does not fail the next run. */
    @Test
    void aFailureOfAnEarlierRunIsDropped() throws Exception {
        Svc svc = new Svc();
        svc.inPostRun = () -> svc.spawn("reader", () -> {
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                svc.selfFail(e); // the usual pattern: the read failed, so the service did
            }
        }, null);
        InstanceControl<Hook> control = started(svc);
        control.reset(null, true); // interrupts the reader of run 1, then starts run 2
        runtime.drain();
        assertEquals(ServiceState.RUNNING, svc.getState(), "run 2 is not failed by run 1's daemon");
        assertNull(svc.getLastError());
        assertEquals(2, control.startCount());
        svc.terminate();
    }

    /** Review finding 3: a service's failure reported from any other thread never waits for a transition. */
    @Test
    void aFailureReportedFromAnotherThreadIsQueuedNotWaitedFor() throws Exception {
        Svc svc = new Svc();
        started(svc);
        runtime.lock.lock(); // a transition is running
        try {
            Thread reporter = new Thread(() -> svc.selfFail(new IllegalStateException("connection lost")));
            reporter.start();
            reporter.join(5_000);
            assertFalse(reporter.isAlive(), "failed() returned while the transition ran");
            assertEquals(ServiceState.RUNNING, svc.getState());
        } finally {
            runtime.lock.unlock();
        }
        runtime.drain();
        assertEquals(ServiceState.FAILED, svc.getState());
        assertEquals("java.lang.IllegalStateException: connection lost", svc.getLastError());
    }

    @Test
    void daemonNamesAreSorted() {
        CountDownLatch release = new CountDownLatch(1);
        Svc svc = new Svc();
        svc.inPostRun = () -> {
            svc.spawn("zulu", awaiting(release), null);
            svc.spawn("alpha", awaiting(release), null);
        };
        started(svc);
        assertEquals(List.of("alpha", "zulu"), svc.getDaemons());
        svc.terminate();
    }

    @Test
    void anInterruptWhileAwaitingDaemonsEndsTheWaitAndIsKept() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Svc svc = new Svc();
        runtime.stopTimeout = Duration.ofSeconds(30);
        svc.inPostRun = () -> svc.spawn("obstinate", ignoringInterrupts(release), null);
        started(svc);
        AtomicReference<Boolean> interruptKept = new AtomicReference<>();
        Thread terminator = new Thread(() -> {
            svc.terminate("obstinate");
            interruptKept.set(Thread.currentThread().isInterrupted());
        });
        terminator.start();
        await("the terminator awaits the daemon").until(() -> terminator.getState() == Thread.State.TIMED_WAITING);
        terminator.interrupt();
        terminator.join(10_000);
        assertFalse(terminator.isAlive(), "the wait ended at the interrupt, not after 30 s");
        assertTrue(interruptKept.get());
        assertEquals(1, runtime.abandonedThreads.size(), "the daemon is reported, not awaited further");
        release.countDown();
    }

    @Test
    void aFailingStopperIsLoggedAndTheDaemonStillStops() {
        CountDownLatch forever = new CountDownLatch(1);
        Svc svc = new Svc();
        AtomicReference<Thread> worker = new AtomicReference<>();
        svc.inPostRun = () -> worker.set(svc.spawn("w", awaiting(forever), () -> {
            throw new java.io.IOException("socket already closed");
        }));
        InstanceControl<Hook> control = started(svc);
        control.fail(new IllegalStateException("stop"));
        assertFalse(worker.get().isAlive());
        assertTrue(runtime.abandonedThreads.isEmpty());
    }

    /**
     * The spawn-vs-stop race: a spawn that is between its check and starting the thread holds the daemons' lock,
     * so a concurrent stop waits for it and then stops the new daemon too; once the stop returned, no daemon is
     * alive and none is accepted. The seam is the runtime's thread factory, called inside the spawn.
     */
    @Test
    void aStopRacingASpawnNeverLeavesADaemonRunning() throws Exception {
        CountDownLatch inFactory = new CountDownLatch(1);
        CountDownLatch letFactoryGo = new CountDownLatch(1);
        CountDownLatch forever = new CountDownLatch(1);
        TestRuntime seam = new TestRuntime("svc") {
            @Override
            public Thread newDaemonThread(String daemonName, Runnable body) {
                if (daemonName.equals("racer")) {
                    inFactory.countDown();
                    awaiting(letFactoryGo).run();
                }
                return super.newDaemonThread(daemonName, body);
            }
        };
        Svc svc = new Svc();
        InstanceControl<Hook> control = TestRuntime.bind(svc, seam);
        control.buildSettings(null);
        control.start(null);
        AtomicReference<Thread> spawned = new AtomicReference<>();
        Thread spawner = new Thread(() -> spawned.set(svc.spawn("racer", awaiting(forever), null)), "spawner");
        spawner.start();
        inFactory.await();
        Thread stopper = new Thread(control::close, "closer");
        stopper.start();
        await("the close to wait for the spawn in progress")
                .until(() -> stopper.getState() == Thread.State.BLOCKED || stopper.getState() == Thread.State.WAITING);
        letFactoryGo.countDown();
        spawner.join(5_000);
        stopper.join(5_000);
        assertFalse(stopper.isAlive(), "the close returned");
        assertFalse(spawned.get().isAlive(), "the daemon spawned during the close was stopped by it");
        assertEquals(List.of(), svc.getDaemons());
        assertThrows(IllegalStateException.class, () -> svc.spawn("after", () -> { }, null));
    }
}
