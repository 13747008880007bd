package io.jsorc.api.spi;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The JsOrc automation loop, registered by the loop's bundle. Automation <em>intent</em> is
 * {@code META_CONFIG.automation}: while it is true, MetaService never starts {@code keep_alive} services itself,
 * whether a loop is registered or not; the loop does.
 *
 * <p>MetaService tells the loop what it read from {@code META_CONFIG} ({@link #metaConfigRead}) and which services an
 * operator refreshed ({@link #serviceRefreshed}); the console and the HTTP API read {@link #status} and run
 * {@link #check}. All methods are thread-safe.
 */
@ProviderType
public interface AutomationProvider {

    /** True while automation is on and the loop runs its ticks. Cheap. */
    boolean isRunning();

    /**
     * MetaService read {@code META_CONFIG} (at its start, at {@code service_refresh meta}, and when this provider
     * is bound): the loop applies these values from its next tick on. Returns at once. Calls may arrive from
     * several threads out of order: a {@code sequence} lower than one already seen is stale and ignored.
     *
     * @param sequence which read this is; later reads have higher numbers
     * @param metaConfig the values read, defaults merged (read-only)
     */
    void metaConfigRead(long sequence, Map<String, Object> metaConfig);

    /**
     * An operator refreshed service {@code name} ({@code service_refresh}, after its reset); for {@code meta}, every
     * service. The loop forgets its failures and lifts its quarantine. Returns at once.
     *
     * @param name the service refreshed
     */
    void serviceRefreshed(String name);

    /**
     * What the loop knows now.
     *
     * @return a snapshot
     */
    AutomationStatus status();

    /**
     * The loop's view of one {@code keep_alive} service.
     *
     * @param name the service
     * @return its supervision, or empty when it is not in {@code keep_alive} or automation is off
     */
    Optional<Supervision> supervision(String name);

    /**
     * Runs a tick now (after the one running, if any: never two at once) and returns what it did. Unlike a
     * scheduled tick, it also applies the manifests of RUNNING services (0.4.0). The next scheduled tick comes
     * {@code backoff_interval} seconds after this one ended.
     *
     * @return what the tick did; with automation off, a report saying nothing was checked
     * @throws InterruptedException when interrupted while waiting for the tick
     * @throws TimeoutException when the tick did not end in time (it goes on; the message says so)
     * @throws IllegalStateException when the loop is stopping (its bundle stops)
     */
    TickReport check() throws InterruptedException, TimeoutException;
}
