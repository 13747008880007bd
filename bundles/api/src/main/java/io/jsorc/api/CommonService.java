package io.jsorc.api;

import io.jsorc.api.runtime.Binder;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * The base class of every service: the seed's life cycle NOT_STARTED → STARTED → RUNNING, or FAILED.
 *
 * <p>A service author extends it as a prototype-scoped DS component registered with
 * {@link ServiceProperties#SERVICE_NAME} and writes {@link #buildConfig} and {@link #run} (returning the app), and
 * optionally {@link #buildManifest}, {@link #postRun}, {@link #onFailed} and {@link #closeApp}. The platform
 * (MetaService) builds, starts, resets and closes instances; other code controls a service through
 * {@link MetaService}, never through the instance. A service may call the seed's {@link #start}, {@link #reset} and
 * {@link #failed} on itself, and runs its background work as daemons ({@link #spawnDaemon}).
 *
 * <p>Rules (the seed's): settings are built manifest first, then config; {@code enabled} (default false) and
 * {@code quiet} (default false) are popped out of the config; a settings error leaves the service disabled with no
 * manifest. {@code start} acts only when enabled, NOT_STARTED and without app. Any exception from {@code run} or
 * {@code postRun} makes it FAILED (daemons stopped, app closed and null, {@code onFailed} called, one log line
 * unless quiet). FAILED never restarts by itself: a reset ({@code service_refresh}) is the way back.
 *
 * <p>Threads and bounds: transitions of one instance run one at a time, in order. The methods an author writes are
 * called on platform threads, never under a lock, with the bundle's class loader as context class loader:
 * {@code buildManifest}, {@code buildConfig}, {@code run} and {@code postRun} within
 * {@link ServiceProperties#SERVICE_START_TIMEOUT} seconds, {@code closeApp} and {@code onFailed} within
 * {@link ServiceProperties#SERVICE_STOP_TIMEOUT} seconds. Past its bound the call is interrupted and abandoned
 * (the service FAILS with the hung thread's stack as its last error); so honour interrupts. What an abandoned call
 * still does on its own thread changes nothing: {@code start}, {@code reset}, {@code spawnDaemon} and
 * {@code terminateDaemon} called there throw {@link java.util.concurrent.CancellationException}, a {@code failed}
 * reported there is dropped, and an app its {@code run} returns late is closed.
 *
 * <p>Logging: the platform logs about a service under the service's own class name.
 *
 * <p>Thread-safety: every public and protected method is thread-safe.
 *
 * @param <A> the type of the app the service exposes (a client, a pool, ...)
 */
@ConsumerType
public abstract class CommonService<A> {

    static {
        Binder.install(new Bindings());
    }

    private final Lifecycle<A> lifecycle = new Lifecycle<>(this);

    // ---------------------------------------------------------------- what a service author writes

    /**
     * The service's config, usually {@code hook.serviceGlob("STRIPE_CONFIG", DEFAULTS)}. {@code enabled} and
     * {@code quiet} are taken out of it (a copy). Default: {@code {"enabled": false}}.
     */
    protected Map<String, Object> buildConfig(Hook hook) throws Exception {
        return Map.of("enabled", false);
    }

    /** The service's Kubernetes manifest ({@code {"Kind": [docs]}}), or null (the default) when it has none. */
    protected Map<String, Object> buildManifest(Hook hook) throws Exception {
        return null;
    }

    /**
     * Builds and returns the app (never null). Called within the start timeout: honour interrupts. Throwing makes
     * the service FAILED.
     */
    protected abstract A run(Hook hook) throws Exception;

    /** Called after the service became RUNNING: spawn daemons here. Throwing makes it FAILED. */
    protected void postRun(Hook hook) throws Exception {
    }

    /** Called once the service became FAILED, after its daemons were stopped and its app closed. */
    protected void onFailed(Throwable error) {
    }

    /**
     * Releases the app on reset, failure and removal, within the stop timeout. Default: {@code close()} when it is
     * {@link AutoCloseable}.
     */
    protected void closeApp(A app) throws Exception {
        if (app instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }

    // ---------------------------------------------------------------- what a service may do to itself

    /**
     * The seed's {@code start}: if enabled, NOT_STARTED and without app, STARTED → run → RUNNING → postRun. Returns
     * when the attempt is over (from one of the service's own daemons: at once, the start is queued).
     *
     * @throws IllegalStateException when no MetaService manages this instance
     */
    protected final CommonService<A> start(Hook hook) {
        lifecycle.start(hook);
        return this;
    }

    /**
     * The seed's {@code reset}: stops daemons, closes the app, back to NOT_STARTED, settings rebuilt from
     * {@code hook}, then started when {@code start}. The only way out of FAILED.
     */
    protected final CommonService<A> reset(Hook hook, boolean start) {
        lifecycle.reset(hook, start);
        return this;
    }

    /** {@code reset(hook, true)}, as the seed's default. */
    protected final CommonService<A> reset(Hook hook) {
        return reset(hook, true);
    }

    /**
     * Marks this service FAILED: daemons stopped, app closed and null, {@link #onFailed} called. Never waits: the
     * failure is queued as a transition and applies to the run it belongs to (a daemon's failure to the run that
     * spawned the daemon), so a daemon failing because a reset stopped it does not fail the next run.
     */
    protected final void failed(Throwable error) {
        lifecycle.failedBySelf(error);
    }

    /**
     * Starts a daemon thread {@code jsorc/<service>/<name>} running {@code body}, unless a live one has that name.
     * Only while the service is starting or running. A daemon is stopped on reset, failure and removal: it is
     * interrupted, then {@code stopper} (if any) is closed — for I/O that ignores interrupts — then awaited up to
     * the stop timeout. So write its loop as {@code while (!Thread.currentThread().isInterrupted()) { ... }} and let
     * blocking calls end on interrupt or on the stopper.
     *
     * @return the daemon's thread (the live one when it already existed)
     * @throws IllegalStateException when the service is not starting or running
     * @throws java.util.concurrent.CancellationException when called from a call abandoned at its bound
     */
    protected final Thread spawnDaemon(String name, Runnable body, AutoCloseable stopper) {
        return lifecycle.spawnDaemon(name, body, stopper);
    }

    /** {@link #spawnDaemon(String, Runnable, AutoCloseable)} without a stopper. */
    protected final Thread spawnDaemon(String name, Runnable body) {
        return spawnDaemon(name, body, null);
    }

    /** Stops the named daemons (all of them when no name is given), as a reset does. */
    protected final void terminateDaemon(String... names) {
        lifecycle.terminateDaemons(names);
    }

    // ---------------------------------------------------------------- readable by everyone

    /** The app while RUNNING, else null. */
    public final A getApp() {
        return lifecycle.app();
    }

    public final boolean isEnabled() {
        return lifecycle.settings().enabled();
    }

    public final boolean isQuiet() {
        return lifecycle.settings().quiet();
    }

    public final ServiceState getState() {
        return lifecycle.state();
    }

    /** The config without {@code enabled} and {@code quiet} (read-only). */
    public final Map<String, Object> getConfig() {
        return lifecycle.settings().config();
    }

    /** The manifest without its reserved keys (read-only), or null. */
    public final Map<String, Object> getManifest() {
        return lifecycle.settings().manifest();
    }

    /** {@code __OLD_CONFIG__} and {@code __UNSAFE_PARAPHRASE__} taken out of the manifest (read-only). */
    public final Map<String, Object> getManifestMeta() {
        return lifecycle.settings().manifestMeta();
    }

    /** The last failure (or settings error) as one line, {@code Class: first useful message}, or null. */
    public final String getLastError() {
        return lifecycle.lastError();
    }

    /** When the last failure happened, or null. */
    public final Instant getLastErrorTime() {
        return lifecycle.lastErrorTime();
    }

    /** NOT_STARTED and no app: {@code start} would act (if enabled). */
    public final boolean isReady() {
        return lifecycle.state().isReady() && lifecycle.app() == null;
    }

    /** RUNNING and an app. */
    public final boolean isRunning() {
        return lifecycle.state().isRunning() && lifecycle.app() != null;
    }

    public final boolean hasFailed() {
        return lifecycle.state().hasFailed();
    }

    /** Names of the live daemons, sorted. */
    public final List<String> getDaemons() {
        return lifecycle.daemonNames();
    }

    /** The service name this instance was built for (the lower-cased class name when no MetaService built it). */
    public final String serviceName() {
        String bound = lifecycle.boundName();
        return bound != null ? bound : getClass().getSimpleName().toLowerCase(Locale.ROOT);
    }

    /** A never-running placeholder for a service that does not exist (the seed's ProxyService). */
    public static CommonService<Object> proxy(String name) {
        return new ProxyService(name);
    }

    Lifecycle<A> lifecycle() {
        return lifecycle;
    }
}
