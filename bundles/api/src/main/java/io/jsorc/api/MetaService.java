package io.jsorc.api;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.osgi.annotation.versioning.ProviderType;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * The registry of services, built on the OSGi service registry: every {@link CommonService} registered
 * (prototype scope) with {@link ServiceProperties#SERVICE_NAME} is a service; for one name the highest
 * {@code service.ranking} wins, ties go to the lowest {@code service.id}.
 *
 * <p>Thread-safety: every method is thread-safe. Transitions of one service instance are serialized; no foreign
 * callback (service code, listener) is called while a MetaService lock is held.
 */
@ProviderType
public interface MetaService {

    /**
     * A fresh instance of service {@code name}, with its settings built from {@code hook}; never started. With
     * {@code background} it becomes the background instance (the previous one is reset, closed and released);
     * without, it is disposable and must be handed back with {@link #release}. Unknown name: logs
     * {@code Service <name> is not yet set!} and returns null.
     */
    CommonService<?> buildService(String name, boolean background, Hook hook);

    /** The background instance of {@code name} (built on first use), or null for an unknown name. */
    CommonService<?> getService(String name, Hook hook);

    /** Hands back a disposable instance: it is reset, its app closed and its daemons stopped. */
    void release(CommonService<?> service);

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

    /** A hook with the promon, redis, task and mail services attached; when not automated, starts mail, redis, task. */
    Hook buildHook();

    /** {@code buildContext("master", ...)}, with a new hook first when no argument is a {@link Hook}. */
    Object buildMaster(Object... args);

    /** {@code buildContext("super_master", ...)}, with a new hook first when no argument is a {@link Hook}. */
    Object buildSuperMaster(Object... args);

    /** True while an automation provider is registered and says it is automated. */
    boolean isAutomated();

    /** Every service name, {@code meta} included, sorted. */
    List<String> serviceNames();

    /** The snapshot of one service ({@code meta} included), or empty. */
    Optional<ServiceInfo> info(String name);

    /** Snapshots of every service, sorted by name. */
    List<ServiceInfo> infos();

    /**
     * {@code service_refresh}: re-reads the settings of the background instance and starts it unless automated.
     * For {@code meta}: re-reads {@code META_CONFIG}, then resets, closes and rebuilds every background instance.
     *
     * @return false when {@code name} is not a service
     */
    boolean refresh(String name);

    /**
     * Starts the background instance if enabled and NOT_STARTED; a FAILED one is left alone.
     *
     * @return the state after the attempt, or empty for an unknown name
     */
    Optional<ServiceState> start(String name);

    /** The valid config names: every declared {@code jsorc.service.config} plus {@code META_CONFIG}. */
    Set<String> configNames();
}
