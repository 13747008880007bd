package io.jsorc.api;

import io.jsorc.api.runtime.InstanceControl;
import io.jsorc.api.runtime.InstanceRuntime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The seed's state machine for one {@link CommonService}: every transition runs through the bound
 * {@link InstanceRuntime} (one at a time, in order), every call of author code through its bounded
 * {@code callAuthor}. Logs under the author's class. Handed to the binder as the instance's {@link InstanceControl}.
 *
 * <p>Thread-safety: fields are volatile and written only inside transitions; readers never wait.
 */
final class Lifecycle<A> implements InstanceControl<Hook> {

    private final CommonService<A> service;
    private final String display;
    private final Logger log;
    private final Daemons daemons;
    private volatile InstanceRuntime runtime;

    private volatile ServiceState state = ServiceState.NOT_STARTED;
    /** Which start attempt this is (1 for the first): a failure a service reports belongs to one run. */
    private volatile long run;
    /** The last run that ended: RUNNING with its postRun returned, or FAILED. */
    private volatile long settled;
    private volatile A app;
    private volatile Settings settings = Settings.INITIAL;
    private volatile boolean closed;
    private volatile String lastError;
    private volatile String lastErrorDetail;
    private volatile Instant lastErrorTime;
    private volatile Duration lastStartDuration;
    private final AtomicInteger startCount = new AtomicInteger();
    private final AtomicInteger resetCount = new AtomicInteger();

    Lifecycle(CommonService<A> service) {
        this.service = service;
        this.log = LoggerFactory.getLogger(service.getClass());
        String simple = service.getClass().getSimpleName();
        this.display = simple.isEmpty() ? service.getClass().getName() : simple;
        this.daemons = new Daemons(log);
    }

    synchronized Lifecycle<A> bind(InstanceRuntime bound) {
        if (runtime != null) {
            throw new IllegalStateException(service.getClass().getName() + " is already bound to a runtime");
        }
        runtime = bound;
        return this;
    }

    private InstanceRuntime runtime() {
        InstanceRuntime bound = runtime;
        if (bound == null) {
            throw new IllegalStateException(service.getClass().getName() + " is not managed by a MetaService: "
                    + "register it as a service (or use the test kit) and let MetaService build it");
        }
        return bound;
    }

    // ---------------------------------------------------------------- commands

    @Override
    public void buildSettings(Hook hook) {
        runtime().transition(() -> {
            if (!closed) {
                applySettings(hook);
            }
        });
    }

    @Override
    public void start(Hook hook) {
        runtime().transition(() -> doStart(hook));
    }

    @Override
    public void reset(Hook hook, boolean start) {
        runtime().transition(() -> {
            if (closed) {
                return;
            }
            resetCount.incrementAndGet();
            stopEverything();
            setState(ServiceState.NOT_STARTED, null);
            applySettings(hook);
            if (start) {
                doStart(hook);
            }
        });
    }

    @Override
    public void fail(Throwable error) {
        runtime().transition(() -> {
            if (!closed && !state.hasFailed()) {
                fail(error, false);
            }
        });
    }

    /**
     * The service reports its own failure ({@code failed(error)}): queued, never waited for, and applied only to the
     * run it belongs to — a daemon's failure to the run that spawned it, anyone else's to the run at the time of the
     * call. A failure of an earlier run (a daemon failing as a reset stops it) is dropped.
     */
    void failedBySelf(Throwable error) {
        InstanceRuntime bound = runtime();
        if (bound.isAbandoned()) {
            log.debug("{}: a failure reported by an abandoned call is dropped: {}", display, Errors.describe(error));
            return;
        }
        long of = daemons.runOf(Thread.currentThread()).orElse(run);
        bound.enqueue(() -> {
            if (closed || run != of || !(state == ServiceState.STARTED || state == ServiceState.RUNNING)) {
                log.debug("{}: a failure of an earlier run is dropped: {}", display, Errors.describe(error));
                return;
            }
            fail(error, false);
        });
    }

    @Override
    public void close() {
        runtime().transition(() -> {
            closed = true;
            stopEverything();
            setState(ServiceState.NOT_STARTED, null);
        });
    }

    Thread spawnDaemon(String name, Runnable body, AutoCloseable stopper) {
        refuseIfAbandoned("spawning daemon " + name);
        return daemons.spawn(name, body, stopper, run, runtime());
    }

    void terminateDaemons(String... names) {
        refuseIfAbandoned("terminating daemons");
        daemons.stop(names, runtime());
    }

    /**
     * This thread works for a call its caller stopped waiting for (abandoned at its bound): the caller has moved on
     * and owns the instance's state, so nothing this thread does may change it.
     */
    private void refuseIfAbandoned(String what) {
        if (runtime().isAbandoned()) {
            throw new CancellationException(what + " of " + display
                    + " refused: the call it came from was abandoned at its bound");
        }
    }

    // ---------------------------------------------------------------- readers

    @Override
    public boolean isClosed() {
        return closed;
    }

    ServiceState state() {
        return state;
    }

    A app() {
        return app;
    }

    Settings settings() {
        return settings;
    }

    String lastError() {
        return lastError;
    }

    @Override
    public Instant lastErrorTime() {
        return lastErrorTime;
    }

    @Override
    public String lastErrorDetail() {
        return lastErrorDetail;
    }

    @Override
    public int startCount() {
        return startCount.get();
    }

    @Override
    public int resetCount() {
        return resetCount.get();
    }

    @Override
    public Duration lastStartDuration() {
        return lastStartDuration;
    }

    List<String> daemonNames() {
        return daemons.names();
    }

    String boundName() {
        InstanceRuntime bound = runtime;
        return bound == null ? null : bound.serviceName();
    }

    // ---------------------------------------------------------------- inside transitions

    private void applySettings(Hook hook) {
        refuseIfAbandoned("building the settings");
        try {
            settings = Settings.build(service, hook, runtime);
        } catch (Throwable e) {
            if (abandonedHere(e)) {
                throw (CancellationException) e;
            }
            if (retiring(e)) {
                log.debug("Settings of {} not built: the service is being removed", display);
                return;
            }
            settings = Settings.DISABLED;
            record(e);
            log.error("Error loading settings for {}: {}", service.getClass().getName(), lastError);
            log.debug("Settings error of {}", service.getClass().getName(), e);
            rethrowFatal(e);
        }
    }

    private void doStart(Hook hook) {
        refuseIfAbandoned("a start");
        if (closed || runtime.isRetired() || !settings.enabled() || !(state.isReady() && app == null)) {
            if (state.hasFailed() && !closed && !runtime.isRetired()) {
                log.info("{} has FAILED and is not started again; refresh it (service_refresh {}) to retry",
                        display, runtime.serviceName());
            }
            return;
        }
        long begin = System.nanoTime();
        startCount.incrementAndGet();
        long mine = ++run;
        daemons.open();
        setState(ServiceState.STARTED, null);
        try {
            A built = runtime.callAuthor("run", runtime.startTimeout(), () -> service.run(hook), this::closeLate);
            if (built == null) {
                throw new IllegalStateException("run returned no app");
            }
            if (run != mine || state != ServiceState.STARTED) {
                // run failed or reset its own service (applied inline) before it returned: that run is over and
                // its app is closed; what a nested start built is that start's
                closeApp(built);
                return;
            }
            app = built;
            lastStartDuration = Duration.ofNanos(System.nanoTime() - begin);
            setState(ServiceState.RUNNING, null);
            runtime.callAuthor("postRun", runtime.startTimeout(), () -> {
                service.postRun(hook);
                return null;
            }, null);
            settled = mine;
        } catch (Throwable e) {
            if (abandonedHere(e)) {
                throw (CancellationException) e;
            }
            if (retiring(e)) {
                log.debug("Start of {} abandoned: the service is being removed", display);
                stopEverything(); // the close that follows sets NOT_STARTED: a removal is not a failure
                return;
            }
            if (run != mine && settled == run) {
                // run (or postRun) reset its own service, then failed: the nested start ended and owns the state (a
                // nested start still under way when this run's bound passed was cut off with it: this run fails)
                log.debug("{}: a failure of a run its own reset already ended is dropped: {}", display,
                        Errors.describe(e));
                rethrowFatal(e);
                return;
            }
            fail(e, true);
            rethrowFatal(e);
        }
    }

    /** {@code e} refuses a call of this thread because it was abandoned (see {@link #refuseIfAbandoned}). */
    private boolean abandonedHere(Throwable e) {
        if (e instanceof CancellationException && runtime.isAbandoned()) {
            log.debug("{}: {}", display, e.getMessage());
            return true;
        }
        return false;
    }

    /** The call was cut short because the instance is being retired, not because the service failed. */
    private boolean retiring(Throwable e) {
        return e instanceof CancellationException && runtime.isRetired();
    }

    private void fail(Throwable error, boolean starting) {
        refuseIfAbandoned("a failure");
        settled = run;
        record(error);
        stopEverything();
        if (!settings.quiet()) {
            if (starting) {
                log.error("Skipping {} due to initialization failure!\n{}", display,
                        lastError);
            } else {
                log.error("{} failed: {}", display, lastError);
            }
        }
        setState(ServiceState.FAILED, error);
        stopCall("onFailed", () -> service.onFailed(error), "onFailed of {} failed: {}");
    }

    private void record(Throwable error) {
        lastError = Errors.describe(error);
        lastErrorDetail = Errors.stack(error);
        lastErrorTime = Instant.now();
    }

    /** Daemons first (they may use the app), then the app. */
    private void stopEverything() {
        refuseIfAbandoned("stopping");
        daemons.stopAll(runtime);
        A old = app;
        app = null;
        if (old != null) {
            closeApp(old);
        }
    }

    private void closeApp(A old) {
        stopCall("closeApp", () -> service.closeApp(old), "Closing the app of {} failed: {}");
    }

    /** Author code bound by the stop timeout, as {@code closeApp}. */
    private interface StopCode {
        void run() throws Exception;
    }

    /**
     * Calls {@code code} within the stop timeout; its failure is logged ({@code warning} with the class and the
     * reason), never thrown, except the refusal of a thread cut off while it waited: the rest of its transition is
     * refused.
     */
    private void stopCall(String what, StopCode code, String warning) {
        try {
            runtime.callAuthor(what, runtime.stopTimeout(), () -> {
                code.run();
                return null;
            }, null);
        } catch (Exception e) {
            if (abandonedHere(e)) {
                throw (CancellationException) e;
            }
            log.warn(warning, service.getClass().getName(), Errors.describe(e));
        }
    }

    /** A {@code run} that returned after it was abandoned: its app is closed, never published. */
    private void closeLate(A late) {
        try {
            service.closeApp(late);
        } catch (Exception e) {
            log.warn("Closing the late app of {} failed: {}", service.getClass().getName(), Errors.describe(e));
        }
    }

    private void setState(ServiceState next, Throwable error) {
        refuseIfAbandoned("a change to " + next);
        ServiceState previous = state;
        state = next;
        if (previous != next) {
            runtime.stateChanged(previous, next, error);
        }
    }

    private static void rethrowFatal(Throwable e) {
        if (e instanceof VirtualMachineError fatal) {
            throw fatal;
        }
    }
}
