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
 * <pre>{@code
 * @Component(scope = ServiceScope.PROTOTYPE, service = CommonService.class,
 *         configurationPolicy = ConfigurationPolicy.IGNORE,
 *         property = {ServiceProperties.SERVICE_NAME + "=weather", ServiceProperties.SERVICE_CONFIG + "=WEATHER_CONFIG",
 *                     ServiceProperties.SERVICE_START_TIMEOUT + ":Integer=30"})       // seconds
 * public class WeatherService extends CommonService<WeatherClient> {
 *
 *     @Override
 *     protected Map<String, Object> buildConfig(Hook hook) {
 *         return hook.serviceGlob("WEATHER_CONFIG", DEFAULTS);    // {"enabled": false, "url": ..., "poll_seconds": 60}
 *     }
 *
 *     @Override
 *     protected WeatherClient run(Hook hook) throws IOException {   // the app; throwing = FAILED
 *         return WeatherClient.connect((String) getConfig().get("url"));
 *     }
 *
 *     @Override
 *     protected void postRun(Hook hook) {                         // background work: daemons
 *         WeatherClient client = getApp();
 *         spawnDaemon("poller", () -> {
 *             try {
 *                 while (!Thread.currentThread().isInterrupted()) {
 *                     client.poll();                              // blocking I/O: the stopper ends it
 *                 }
 *             } catch (IOException e) {
 *                 if (!client.isDisconnected()) failed(e);        // else: stopped
 *             }
 *         }, client::disconnect);
 *     }
 *
 *     @Override
 *     protected void closeApp(WeatherClient client) {             // on reset, failure, removal
 *         client.close();
 *     }
 * }
 * }</pre>
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
 * {@link ServiceProperties#SERVICE_STOP_TIMEOUT} seconds. Past its bound the call is interrupted and abandoned —
 * {@code run} or {@code postRun}: the service FAILS; {@code buildManifest} or {@code buildConfig}: a settings error;
 * {@code closeApp} or {@code onFailed}: a WARN — with the hung thread's stack as the last error's detail
 * ({@code service-info}); so honour interrupts. What an abandoned call
 * still does on its own thread changes nothing: {@code start}, {@code reset}, {@code spawnDaemon} and
 * {@code terminateDaemon} called there throw {@link java.util.concurrent.CancellationException}, a {@code failed}
 * reported there is dropped, and an app its {@code run} returns late is closed.
 *
 * <p>Logging: the platform logs a service's life cycle (its start failures, its daemons terminating) under the
 * service's own class name; the runtime's own lines (a hung thread given up) under {@code io.jsorc.meta}.
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
     *
     * <p><b>Called</b> when the instance is built and at every reset ({@code service_refresh}), after
     * {@link #buildManifest}; never while the service runs. <b>Thread:</b> a platform thread named
     * {@code jsorc/<service>/buildConfig}, one transition of this instance at a time, no lock held.
     * <b>Bound:</b> {@link ServiceProperties#SERVICE_START_TIMEOUT}, then interrupted. <b>Context class loader:</b>
     * the bundle's. Throwing (or overrunning) is a settings error, not a failure: the service stays NOT_STARTED and
     * disabled, with the error as its last error.
     *
     * @param hook the platform: globs and other services
     * @return the config, {@code enabled} and {@code quiet} included; a {@code LinkedHashMap} keeps key order
     * @throws Exception a settings error
     */
    protected Map<String, Object> buildConfig(Hook hook) throws Exception {
        return Map.of("enabled", false);
    }

    /**
     * The service's Kubernetes manifest ({@code {"Kind": [docs]}}), or null (the default) when it has none.
     *
     * <p>Called, on the same terms as {@link #buildConfig} (thread {@code jsorc/<service>/buildManifest}), just
     * before it.
     *
     * @param hook the platform: globs and other services
     * @return the manifest, or null
     * @throws Exception a settings error
     */
    protected Map<String, Object> buildManifest(Hook hook) throws Exception {
        return null;
    }

    /**
     * Builds and returns the app (never null): the client, pool or server the service exposes.
     *
     * <p><b>Called</b> by a start (enabled, NOT_STARTED), after the state became STARTED; {@link #getConfig} holds
     * the config built last. <b>Thread:</b> a platform thread named {@code jsorc/<service>/run}, one transition of
     * this instance at a time, no lock held. <b>Bound:</b> {@link ServiceProperties#SERVICE_START_TIMEOUT}; past it
     * the thread is interrupted and abandoned, the service FAILS, and an app returned late is closed: honour
     * interrupts. <b>Context class loader:</b> the bundle's — and every thread a library starts from here
     * inherits it (the JDK {@code HttpClient}'s selector thread, an executor's workers): such a thread keeps the
     * bundle's classes loaded after the bundle is gone unless {@link #closeApp} ends it. Build such clients with
     * the context class loader set to {@code null} (restore it in {@code finally}) when they cannot be closed.
     *
     * @param hook the platform: globs and other services
     * @return the app; it becomes {@link #getApp()} once RUNNING
     * @throws Exception the start fails: FAILED, with the first useful message of the cause chain as last error
     */
    protected abstract A run(Hook hook) throws Exception;

    /**
     * Spawn the service's daemons here ({@link #spawnDaemon}).
     *
     * <p><b>Called</b> right after the service became RUNNING ({@link #getApp()} is the app {@link #run}
     * returned). Thread, bound and context class loader as {@link #run} (thread {@code jsorc/<service>/postRun}).
     * Throwing makes the service FAILED (its daemons stopped, its app closed).
     *
     * @param hook the platform: globs and other services
     * @throws Exception the start fails
     */
    protected void postRun(Hook hook) throws Exception {
    }

    /**
     * Called once the service became FAILED, after its daemons were stopped and its app closed: release what
     * {@link #closeApp} does not cover, alert, count.
     *
     * <p><b>Thread:</b> a platform thread ({@code jsorc/<service>/onFailed}), no lock held. <b>Bound:</b>
     * {@link ServiceProperties#SERVICE_STOP_TIMEOUT}. <b>Context class loader:</b> the bundle's. An exception is
     * logged and otherwise ignored.
     *
     * @param error why the service failed
     */
    protected void onFailed(Throwable error) {
    }

    /**
     * Releases the app on reset, failure and removal (bundle stopped or deleted), after the daemons were stopped.
     * Default: {@code close()} when it is {@link AutoCloseable}. End here every thread the app started.
     *
     * <p><b>Thread:</b> a platform thread ({@code jsorc/<service>/closeApp}), no lock held. <b>Bound:</b>
     * {@link ServiceProperties#SERVICE_STOP_TIMEOUT}, then interrupted and abandoned. <b>Context class loader:</b>
     * the bundle's. An exception is logged (WARN) and the app is dropped anyway. An app that {@link #run} returns
     * after its bound is closed too, on the thread that returned it, without a bound.
     *
     * @param app the app {@link #run} returned (never null)
     * @throws Exception logged; the app is dropped anyway
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
     * <p>Any thread; waits, bounded, for the transitions queued before it. Called from this service's own
     * {@code run}/{@code postRun} it runs inline (no self-wait).
     *
     * @param hook the platform the start runs with
     * @return this
     * @throws IllegalStateException when no MetaService manages this instance
     * @throws java.util.concurrent.CancellationException when called from a call abandoned at its bound, or
     *         when the wait passed its bound
     */
    protected final CommonService<A> start(Hook hook) {
        lifecycle.start(hook);
        return this;
    }

    /**
     * The seed's {@code reset}: stops daemons, closes the app, back to NOT_STARTED, settings rebuilt from
     * {@code hook}, then started when {@code start}. The only way out of FAILED.
     *
     * <p>Any thread, as {@link #start}: from one of the service's own daemons the reset is queued (the daemon is
     * stopped by it) and this returns at once.
     *
     * @param hook the platform the settings are rebuilt with
     * @param start whether to start again afterwards (if enabled)
     * @return this
     * @throws java.util.concurrent.CancellationException as {@link #start}
     */
    protected final CommonService<A> reset(Hook hook, boolean start) {
        lifecycle.reset(hook, start);
        return this;
    }

    /**
     * {@code reset(hook, true)}, as the seed's default.
     *
     * @param hook the platform the settings are rebuilt with
     * @return this
     */
    protected final CommonService<A> reset(Hook hook) {
        return reset(hook, true);
    }

    /**
     * Marks this service FAILED: daemons stopped, app closed and null, {@link #onFailed} called. From a daemon or
     * any other thread it never waits: the failure is queued as a transition and applies to the run it belongs to
     * (a daemon's failure to the run that spawned the daemon), so a daemon failing because a reset stopped it does
     * not fail the next run.
     *
     * <p>Any thread; the way a daemon fails its service (an exception escaping a daemon's body ends only that
     * daemon). Called from this service's own {@code run}, {@code postRun} or {@code closeApp}, it runs inline
     * before returning (stopping the daemons, {@code closeApp}, {@code onFailed}: up to three stop timeouts).
     * Dropped when called from a call abandoned at its bound.
     *
     * @param error why; its first useful message becomes the last error
     */
    protected final void failed(Throwable error) {
        lifecycle.failedBySelf(error);
    }

    /**
     * Starts a daemon thread {@code jsorc/<service>/<name>} running {@code body}, unless a live one has that name.
     * Only while the service is starting or running (from {@code run}, {@code postRun} or a daemon). A daemon is
     * stopped on reset, failure and removal: it is interrupted, then {@code stopper} (if any) is closed — for I/O
     * that ignores interrupts (a socket's {@code accept()} or {@code read()}, a JDBC call) — then awaited; all of it
     * within one {@link ServiceProperties#SERVICE_STOP_TIMEOUT} (plus at most 1.5 s of grace for a stopper that
     * ignores its own interrupt). So write its loop as
     * {@code while (!Thread.currentThread().isInterrupted()) { ... }}, let blocking calls end on interrupt or on the
     * stopper, and keep the interrupt when you catch {@link InterruptedException}. A daemon still alive at the
     * bound is abandoned: logged once, listed in {@code service-info}, and keeping the bundle's classes loaded.
     *
     * <p>The thread is a daemon thread with the bundle's class loader as context class loader. An exception
     * escaping {@code body} ends that daemon only (the JVM's default handler prints it); the service stays
     * RUNNING: catch it and call {@link #failed} to fail the service. The stopper is closed on a thread of its
     * own ({@code jsorc/<service>/stopper <name>}), bounded by the same deadline.
     *
     * @param name the daemon's name, unique among this instance's live daemons
     * @param body the daemon's work
     * @param stopper closed after the interrupt to end blocking I/O; null for none
     *
     * @return the daemon's thread (the live one when it already existed)
     * @throws IllegalStateException when the service is not starting or running
     * @throws java.util.concurrent.CancellationException when called from a call abandoned at its bound
     */
    protected final Thread spawnDaemon(String name, Runnable body, AutoCloseable stopper) {
        return lifecycle.spawnDaemon(name, body, stopper);
    }

    /**
     * {@link #spawnDaemon(String, Runnable, AutoCloseable)} without a stopper: for a body that ends on interrupt
     * ({@code sleep}, {@code BlockingQueue.take}, {@code Object.wait}, interruptible NIO channels).
     *
     * @param name the daemon's name
     * @param body the daemon's work
     * @return the daemon's thread
     */
    protected final Thread spawnDaemon(String name, Runnable body) {
        return spawnDaemon(name, body, null);
    }

    /**
     * Stops the named daemons (all of them when no name is given), as a reset does (interrupt, stopper, join,
     * within the stop timeout); returns when they ended or were abandoned. New daemons stay accepted.
     *
     * @param names the daemons to stop; none: all
     * @throws java.util.concurrent.CancellationException when called from a call abandoned at its bound
     */
    protected final void terminateDaemon(String... names) {
        lifecycle.terminateDaemons(names);
    }

    // ---------------------------------------------------------------- readable by everyone

    /**
     * The app while RUNNING, else null. Readable from any thread; for another service's app prefer
     * {@link Hook#app(String, Class)}, which checks its type.
     *
     * @return the app, or null
     */
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

    /**
     * The config without {@code enabled} and {@code quiet} (read-only), as built last: it changes only at a reset.
     * Secret references in its strings ({@code $[env:NAME]}, {@code $[file:/path]}, see
     * {@link io.jsorc.api.config.Secrets}) are resolved here; the stored glob keeps them (and {@code enabled},
     * {@code quiet} and the manifest are never resolved). Do not log it whole.
     *
     * @return the config; plain {@code Map/List/String/Number/Boolean/null} values
     */
    public final Map<String, Object> getConfig() {
        return lifecycle.settings().config();
    }

    /**
     * The config as built last, read through a typed view ({@link io.jsorc.api.config.TypedConfig}): typically the
     * {@code @ObjectClassDefinition} that declares the glob's schema, e.g. {@code config(StripeConfig.class)
     * .max__network__retries()} ({@code __} in a method name is {@code _}, a single {@code _} is {@code .}).
     * {@code enabled} and {@code quiet} are not in it (use {@link #isEnabled()}, {@link #isQuiet()}).
     *
     * @param type an interface or annotation type
     * @return a view over {@link #getConfig()}; a value that cannot be converted throws when its method is called
     * @since 1.2
     */
    public final <T> T config(Class<T> type) {
        return io.jsorc.api.config.TypedConfig.view(type, getConfig());
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
