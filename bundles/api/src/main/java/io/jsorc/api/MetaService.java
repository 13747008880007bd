package io.jsorc.api;

import io.jsorc.api.config.AuditEntry;
import io.jsorc.api.config.Origin;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.osgi.annotation.versioning.ProviderType;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * The registry of services, built on the OSGi service registry: every {@link CommonService} registered (prototype
 * scope) with {@link ServiceProperties#SERVICE_NAME} is a service; for one name the highest {@code service.ranking}
 * wins, ties go to the lowest {@code service.id}. Starting, resetting, failing and releasing a service go through
 * here: instances only offer getters to everyone else.
 *
 * <p>Automation: while {@code META_CONFIG.automation} is true (as last read, at start or {@code refresh("meta")}),
 * MetaService starts no service named in {@code META_CONFIG.keep_alive} itself: the JsOrc loop does.
 *
 * <p>Thread-safety: every method is thread-safe and every wait is bounded. Transitions of one service instance are
 * serialized; no foreign callback (service code, listener) is called while a MetaService lock is held. A call that
 * would wait for a service's transitions past their bound (its code hangs) gives up with a
 * {@link java.util.concurrent.CancellationException} whose message names the service and the bound.
 */
@ProviderType
public interface MetaService {

    /**
     * A fresh instance of service {@code name}, with its settings built from {@code hook}; never started. With
     * {@code background} it becomes the background instance (the previous one is stopped and released); without,
     * it is disposable and must be handed back with {@link #release}. Unknown name: logs
     * {@code Service <name> is not yet set!} and returns null.
     */
    CommonService<?> buildService(String name, boolean background, Hook hook);

    /** The background instance of {@code name} (built on first use), or null for an unknown name. */
    CommonService<?> getService(String name, Hook hook);

    /** Hands back a disposable instance: its daemons are stopped and its app closed. */
    void release(CommonService<?> service);

    /**
     * Starts an instance this MetaService built, if enabled and NOT_STARTED (the seed's {@code start}).
     *
     * @return its state after the attempt
     * @throws IllegalArgumentException when this MetaService did not build it (or released it)
     */
    ServiceState start(CommonService<?> service, Hook hook);

    /**
     * Resets an instance this MetaService built (the seed's {@code reset}): daemons and app stopped, settings
     * rebuilt from {@code hook}, started again when {@code start}.
     *
     * @return its state afterwards
     * @throws IllegalArgumentException when this MetaService did not build it (or released it)
     */
    ServiceState reset(CommonService<?> service, Hook hook, boolean start);

    /**
     * Marks an instance this MetaService built FAILED with {@code error} (daemons stopped, app closed).
     *
     * @throws IllegalArgumentException when this MetaService did not build it (or released it)
     */
    void fail(CommonService<?> service, Throwable error);

    /**
     * Registers a service builder under {@code owner}'s context (so it goes away when the owner stops).
     *
     * @throws IllegalArgumentException {@code <name> already exists!} when the name is taken
     */
    ServiceRegistration<?> addServiceBuilder(BundleContext owner, String name,
            Supplier<? extends CommonService<?>> supplier);

    /** Registers (or overwrites) a context class with trailing constructor arguments. Dropped when the class's bundle stops. */
    void addContext(String name, Class<?> type, Object... args);

    /** The registered class, or null. */
    Class<?> getContext(String name);

    /**
     * A new instance of context {@code name}: the single public constructor whose arity is
     * {@code args.length + registered args} and whose parameter types accept them (null fits any reference).
     *
     * @throws IllegalArgumentException unknown name, or no/several constructors fit (the message names the candidates)
     */
    Object buildContext(String name, Object... args);

    /**
     * A hook with the promon, redis, task and mail services attached; starts mail, redis and task (in that order)
     * unless automation looks after them.
     */
    Hook buildHook();

    /** {@code buildContext("master", ...)}, with a new hook first when no argument is a {@link Hook}. */
    Object buildMaster(Object... args);

    /** {@code buildContext("super_master", ...)}, with a new hook first when no argument is a {@link Hook}. */
    Object buildSuperMaster(Object... args);

    /** {@code META_CONFIG.automation} as last read (at start, or by {@code refresh("meta")}). */
    boolean isAutomated();

    /** Every service name, {@code meta} included, sorted. */
    List<String> serviceNames();

    /** The snapshot of one service ({@code meta} included), or empty. */
    Optional<ServiceInfo> info(String name);

    /** Snapshots of every service, sorted by name. */
    List<ServiceInfo> infos();

    /**
     * {@code service_refresh}: resets the background instance (settings re-read) and starts it unless automation
     * looks after it. For {@code meta}: re-reads {@code META_CONFIG}, then rebuilds every background instance.
     *
     * @return false when {@code name} is not a service
     */
    boolean refresh(String name);

    /**
     * {@link #refresh(String)}, recorded in the audit trail ({@link AuditEntry}) as done by
     * {@code origin}. Every surface (console, HTTP, Web Console) refreshes through this.
     *
     * @return false when {@code name} is not a service (nothing is recorded)
     * @since 1.1
     */
    boolean refresh(String name, Origin origin);

    /**
     * Starts the background instance if enabled and NOT_STARTED; a FAILED one is left alone.
     *
     * @return the state after the attempt, or empty for an unknown name
     */
    Optional<ServiceState> start(String name);
}
