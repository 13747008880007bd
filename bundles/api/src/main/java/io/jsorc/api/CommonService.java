package io.jsorc.api;

import io.jsorc.api.spi.ServiceRuntime;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.osgi.annotation.versioning.ConsumerType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The base class of every service: the seed's life cycle NOT_STARTED → STARTED → RUNNING, or FAILED.
 *
 * <p>A service author extends it, usually as a prototype-scoped DS component registered with
 * {@link ServiceProperties#SERVICE_NAME}, and writes {@link #buildConfig}, {@link #run} (returning the app),
 * and optionally {@link #buildManifest}, {@link #postRun}, {@link #onFailed} and {@link #closeApp}. The state
 * machine ({@link #start}, {@link #reset}, {@link #failed}, daemons) is final.
 *
 * <p>Rules (the seed's): settings are built manifest first, then config; {@code enabled} (default false) and
 * {@code quiet} (default false) are popped out of the config; a settings error leaves the service disabled with no
 * manifest. {@code start} acts only when enabled, NOT_STARTED and without app. Any exception from {@code run} or
 * {@code postRun} makes it FAILED (app closed and null, daemons stopped, {@code onFailed} called, one log line
 * unless quiet). FAILED never restarts by itself: {@link #reset} is the way back.
 *
 * <p>Thread-safety: every public method is thread-safe. Transitions of one instance are serialized on its
 * {@link ServiceRuntime} (bound by MetaService or the test kit); the author's methods are called on a runtime
 * thread, never under a lock, with the bundle's class loader as context class loader. An instance that was never
 * bound runs its transitions inline on the calling thread, without a start timeout (plain unit tests).
 *
 * @param <A> the type of the app the service exposes (a client, a pool, ...)
 */
@ConsumerType
public abstract class CommonService<A> {

    private static final Logger LOG = LoggerFactory.getLogger(CommonService.class);
    private static final long DAEMON_JOIN_MILLIS = 5_000;

    private volatile ServiceRuntime runtime;
    private volatile A app;
    private volatile boolean enabled = false;
    private volatile boolean quiet = true;
    private volatile ServiceState state = ServiceState.NOT_STARTED;
    private volatile Map<String, Object> config = Map.of();
    private volatile Map<String, Object> manifest;
    private volatile Map<String, Object> manifestMeta = Map.of();
    private volatile boolean closed;

    private volatile String lastError;
    private volatile String lastErrorDetail;
    private volatile Instant lastErrorTime;
    private volatile Duration lastStartDuration;
    private final AtomicInteger startCount = new AtomicInteger();
    private final AtomicInteger resetCount = new AtomicInteger();
    private final Map<String, Daemon> daemons = new ConcurrentHashMap<>();

    // ---------------------------------------------------------------- what a service author writes

    /**
     * The service's config, usually {@code hook.serviceGlob("STRIPE_CONFIG", DEFAULTS)}. Must return a mutable map:
     * {@code enabled} and {@code quiet} are popped out of it. Default: {@code {"enabled": false}}.
     */
    protected Map<String, Object> buildConfig(Hook hook) throws Exception {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("enabled", false);
        return config;
    }

    /** The service's Kubernetes manifest ({@code {"Kind": [docs]}}), or null (the default) when it has none. */
    protected Map<String, Object> buildManifest(Hook hook) throws Exception {
        return null;
    }

    /**
     * Builds and returns the app. Runs on a runtime thread with the start timeout: honour interrupts. Throwing
     * (or returning null) makes the service FAILED.
     */
    protected abstract A run(Hook hook) throws Exception;

    /** Called after the service became RUNNING (spawn daemons here). Throwing makes it FAILED. */
    protected void postRun(Hook hook) throws Exception {
    }

    /** Called once the service became FAILED (after its app was closed and its daemons stopped). */
    protected void onFailed(Throwable error) {
    }

    /** Releases the app on reset, failure and removal. Default: {@code close()} when it is {@link AutoCloseable}. */
    protected void closeApp(A app) throws Exception {
        if (app instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }

    // ---------------------------------------------------------------- the state machine (final)

    /**
     * Binds this instance to its runtime. Called once by the MetaService (or test kit) that built it, before
     * anything else; a second call with another runtime fails.
     */
    public final void bind(ServiceRuntime serviceRuntime) {
        synchronized (daemons) {
            if (runtime != null && runtime != serviceRuntime) {
                throw new IllegalStateException(getClass().getName() + " is already bound to a runtime");
            }
            runtime = serviceRuntime;
        }
    }

    /** Rebuilds the settings (manifest, then config) from {@code hook}, as a transition. */
    public final CommonService<A> buildSettings(Hook hook) {
        runtime().transition(() -> applySettings(hook));
        return this;
    }

    /**
     * Starts the service if it is enabled, NOT_STARTED and has no app: STARTED → run → RUNNING → postRun. Returns
     * when the attempt is over. Does nothing otherwise (a FAILED service needs {@link #reset}).
     */
    public final CommonService<A> start(Hook hook) {
        runtime().transition(() -> doStart(hook));
        return this;
    }

    /**
     * Stops daemons, closes the app, goes back to NOT_STARTED, rebuilds the settings from {@code hook} and, with
     * {@code start}, starts again. The only way out of FAILED.
     */
    public final CommonService<A> reset(Hook hook, boolean start) {
        runtime().transition(() -> {
            resetCount.incrementAndGet();
            stopEverything();
            setState(ServiceState.NOT_STARTED, null);
            applySettings(hook);
            if (start) {
                doStart(hook);
            }
        });
        return this;
    }

    /** Marks the service FAILED with {@code error}: app closed and null, daemons stopped, {@code onFailed} called. */
    public final void failed(Throwable error) {
        runtime().transition(() -> fail(error));
    }

    /**
     * Stops daemons and closes the app, leaving the state as it is; used when the instance is released. A closed
     * instance never starts again and spawns no daemon.
     */
    public final void close() {
        runtime().transition(() -> {
            closed = true;
            stopEverything();
        });
    }

    /** NOT_STARTED and no app: {@code start} would act (if enabled). */
    public final boolean isReady() {
        return state.isReady() && app == null;
    }

    /** RUNNING and an app. */
    public final boolean isRunning() {
        return state.isRunning() && app != null;
    }

    public final boolean hasFailed() {
        return state.hasFailed();
    }

    /**
     * Starts a daemon thread {@code jsorc/<service>/<name>} running {@code body}, unless a live one has that name.
     * It is stopped on reset, failure and removal: interrupted, then {@code stopper} (if any) is closed for I/O
     * that ignores interrupts, then joined with a bound.
     *
     * @return the daemon's thread (the live one when it already existed)
     */
    protected final Thread spawnDaemon(String name, Runnable body, AutoCloseable stopper) {
        ServiceState now = state;
        if (closed || !(now == ServiceState.STARTED || now == ServiceState.RUNNING)) {
            throw new IllegalStateException("Daemon " + name + " of " + serviceName() + " refused: the service is "
                    + (closed ? "closed" : now.name()));
        }
        synchronized (daemons) {
            Daemon existing = daemons.get(name);
            if (existing != null && existing.thread.isAlive()) {
                return existing.thread;
            }
            Thread thread = runtime().newDaemonThread(name, body);
            daemons.put(name, new Daemon(thread, stopper));
            thread.start();
            return thread;
        }
    }

    /** {@link #spawnDaemon(String, Runnable, AutoCloseable)} without a stopper. */
    protected final Thread spawnDaemon(String name, Runnable body) {
        return spawnDaemon(name, body, null);
    }

    /** Stops and forgets the named daemons (all of them when no name is given). */
    public final void terminateDaemon(String... names) {
        List<Map.Entry<String, Daemon>> stopping = new ArrayList<>();
        synchronized (daemons) {
            for (String name : names.length == 0 ? new ArrayList<>(daemons.keySet()) : List.of(names)) {
                Daemon daemon = daemons.remove(name);
                if (daemon != null) {
                    stopping.add(Map.entry(name, daemon));
                }
            }
        }
        for (Map.Entry<String, Daemon> entry : stopping) {
            entry.getValue().stop(entry.getKey(), serviceName());
        }
    }

    // ---------------------------------------------------------------- readable attributes

    public final A getApp() {
        return app;
    }

    public final boolean isEnabled() {
        return enabled;
    }

    public final boolean isQuiet() {
        return quiet;
    }

    public final ServiceState getState() {
        return state;
    }

    /** The config without {@code enabled} and {@code quiet} (read-only). */
    public final Map<String, Object> getConfig() {
        return config;
    }

    /** The manifest without its reserved keys (read-only), or null. */
    public final Map<String, Object> getManifest() {
        return manifest;
    }

    /** {@code __OLD_CONFIG__} and {@code __UNSAFE_PARAPHRASE__} taken out of the manifest (read-only). */
    public final Map<String, Object> getManifestMeta() {
        return manifestMeta;
    }

    public final String getLastError() {
        return lastError;
    }

    public final String getLastErrorDetail() {
        return lastErrorDetail;
    }

    public final Instant getLastErrorTime() {
        return lastErrorTime;
    }

    public final Duration getLastStartDuration() {
        return lastStartDuration;
    }

    public final int getStartCount() {
        return startCount.get();
    }

    public final int getResetCount() {
        return resetCount.get();
    }

    /** Names of the live daemons, sorted. */
    public final List<String> getDaemons() {
        List<String> live = new ArrayList<>();
        daemons.forEach((name, daemon) -> {
            if (daemon.thread.isAlive()) {
                live.add(name);
            }
        });
        Collections.sort(live);
        return live;
    }

    /** The service name of the bound runtime (the lower-cased class name when unbound). */
    public final String serviceName() {
        ServiceRuntime bound = runtime;
        return bound != null ? bound.serviceName() : getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
    }

    /** A never-running placeholder for a service that does not exist (the seed's ProxyService). */
    public static CommonService<Object> proxy(String name) {
        return new ProxyService(name);
    }

    // ---------------------------------------------------------------- internals (run inside transitions)

    private ServiceRuntime runtime() {
        ServiceRuntime bound = runtime;
        if (bound == null) {
            bind(new DirectRuntime(serviceName(), getClass()));
            bound = runtime;
        }
        return bound;
    }

    private void applySettings(Hook hook) {
        try {
            Map<String, Object> builtManifest = runtime().callForeign(() -> buildManifest(hook));
            Map<String, Object> meta = new LinkedHashMap<>();
            if (builtManifest != null && !builtManifest.isEmpty()) {
                builtManifest = new LinkedHashMap<>(builtManifest);
                meta.put("__OLD_CONFIG__", orDefault(builtManifest.remove("__OLD_CONFIG__"), Map.of()));
                meta.put("__UNSAFE_PARAPHRASE__", orDefault(builtManifest.remove("__UNSAFE_PARAPHRASE__"), ""));
            }
            Map<String, Object> builtConfig = runtime().callForeign(() -> buildConfig(hook));
            if (builtConfig == null) {
                throw new IllegalStateException("buildConfig returned null");
            }
            builtConfig = new LinkedHashMap<>(builtConfig);
            boolean newEnabled = asBoolean(builtConfig.remove("enabled"), "enabled");
            boolean newQuiet = asBoolean(builtConfig.remove("quiet"), "quiet");
            manifest = builtManifest == null || builtManifest.isEmpty() ? null
                    : Collections.unmodifiableMap(builtManifest);
            manifestMeta = Collections.unmodifiableMap(meta);
            config = Collections.unmodifiableMap(builtConfig);
            enabled = newEnabled;
            quiet = newQuiet;
        } catch (Throwable e) {
            LOG.error("Error loading settings for {}", getClass().getName(), e);
            manifest = null;
            manifestMeta = Map.of();
            config = Map.of();
            enabled = false;
            quiet = false;
            if (e instanceof VirtualMachineError fatal) {
                throw fatal;
            }
        }
    }

    private void doStart(Hook hook) {
        if (state.hasFailed()) {
            LOG.info("{} has FAILED and is not started again; refresh it (service_refresh {}) to retry",
                    getClass().getSimpleName(), serviceName());
            return;
        }
        if (closed || !enabled || !isReady()) {
            return;
        }
        long begin = System.nanoTime();
        startCount.incrementAndGet();
        setState(ServiceState.STARTED, null);
        try {
            A built = runtime().callRun(() -> run(hook), this::closeQuietly);
            if (built == null) {
                throw new IllegalStateException("run returned no app");
            }
            app = built;
            lastStartDuration = Duration.ofNanos(System.nanoTime() - begin);
            setState(ServiceState.RUNNING, null);
            runtime().callForeign(() -> {
                postRun(hook);
                return null;
            });
        } catch (Throwable e) {
            fail(e);
            if (e instanceof VirtualMachineError fatal) {
                throw fatal;
            }
        }
    }

    private void fail(Throwable error) {
        lastError = error.getClass().getName() + ": " + error.getMessage();
        StringWriter detail = new StringWriter();
        error.printStackTrace(new PrintWriter(detail));
        lastErrorDetail = detail.toString();
        lastErrorTime = Instant.now();
        stopEverything();
        if (!quiet) {
            LOG.error("Skipping {} due to initialization failure!\n{}", getClass().getSimpleName(), lastError);
        }
        setState(ServiceState.FAILED, error);
        try {
            runtime().callForeign(() -> {
                onFailed(error);
                return null;
            });
        } catch (Exception e) {
            LOG.warn("onFailed of {} threw", getClass().getName(), e);
        }
    }

    private void stopEverything() {
        terminateDaemon();
        A old = app;
        app = null;
        if (old != null) {
            closeQuietly(old);
        }
    }

    private void closeQuietly(A old) {
        try {
            runtime().callForeign(() -> {
                closeApp(old);
                return null;
            });
        } catch (Exception e) {
            LOG.warn("Closing the app of {} failed", getClass().getName(), e);
        }
    }

    private void setState(ServiceState next, Throwable error) {
        ServiceState previous = state;
        state = next;
        if (previous != next) {
            runtime().stateChanged(previous, next, error);
        }
    }

    private static Object orDefault(Object value, Object fallback) {
        return value == null ? fallback : value;
    }

    private static boolean asBoolean(Object value, String key) {
        if (value == null) {
            return false;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        throw new IllegalArgumentException("'" + key + "' must be true or false, not " + value);
    }

    /** A live daemon and the stopper for I/O that ignores interrupts. */
    private record Daemon(Thread thread, AutoCloseable stopper) {

        void stop(String name, String service) {
            LOG.info("Terminating {} ...", name);
            thread.interrupt();
            if (stopper != null) {
                try {
                    stopper.close();
                } catch (Exception e) {
                    LOG.warn("Stopper of daemon {} of {} failed", name, service, e);
                }
            }
            if (thread != Thread.currentThread()) {
                try {
                    thread.join(TimeUnit.MILLISECONDS.toMillis(DAEMON_JOIN_MILLIS));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                if (thread.isAlive()) {
                    LOG.warn("Daemon {} of {} did not stop within {} ms", name, service, DAEMON_JOIN_MILLIS);
                }
            }
        }
    }
}
