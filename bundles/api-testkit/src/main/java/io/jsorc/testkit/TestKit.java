package io.jsorc.testkit;

import io.jsorc.api.CommonService;
import io.jsorc.api.Hook;
import io.jsorc.api.MetaService;
import io.jsorc.api.ServiceProperties;
import io.jsorc.api.config.ConfigApi;
import io.jsorc.api.config.GlobStore;
import io.jsorc.api.config.Origin;
import io.jsorc.api.event.ServiceStateListener;
import io.jsorc.globs.internal.config.ConfigApiImpl;
import io.jsorc.globs.internal.glob.GlobStoreImpl;
import io.jsorc.meta.internal.MetaServiceImpl;
import io.jsorc.meta.internal.ServiceSource;
import java.time.Duration;
import java.util.Dictionary;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;

/**
 * The platform in memory, for unit tests of a service (the seed's MemoryHook role): the real MetaService runtime
 * (bounded transitions, daemons, events), the real glob store (memory tier only) and the real config API, no OSGi
 * framework.
 *
 * <pre>
 * try (TestKit kit = TestKit.create()) {
 *     kit.register("stripe", StripeService::new);
 *     kit.configApi().configSet("STRIPE_CONFIG", "{\"enabled\":true,\"key\":\"sk_test_x\"}", true, null, TestKit.TEST);
 *     kit.meta().refresh("stripe");
 *     CommonService&lt;?&gt; stripe = kit.meta().getService("stripe", kit.hook());
 * }
 * </pre>
 *
 * <p>Thread-safety: as MetaService. {@link #close} stops every thread the kit started.
 */
public final class TestKit implements AutoCloseable {

    /** The origin of writes a test makes: actor {@code test}, source {@code test}. */
    public static final Origin TEST = Origin.local("test", "test");

    private final GlobStoreImpl globs = new GlobStoreImpl();
    private final ConfigApiImpl configApi = new ConfigApiImpl(globs);
    private final MetaServiceImpl meta;
    private final Map<Long, ServiceSource> sources = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();

    private TestKit() {
        meta = new MetaServiceImpl(globs, (owner, name, supplier) -> {
            register(name, 0, supplier);
            return registration(name);
        });
    }

    /** A new, empty platform. */
    public static TestKit create() {
        return new TestKit();
    }

    /** Registers service {@code name} (ranking 0), as a prototype-scoped DS component would; see the 3-arg form. */
    public TestKit register(String name, Supplier<? extends CommonService<?>> factory) {
        return register(name, 0, factory);
    }

    /**
     * Registers service {@code name} with a ranking and the default timeouts, and waits until MetaService handled
     * its arrival (the background instance is built; when enabled, its start has been requested — await RUNNING).
     */
    public TestKit register(String name, int ranking, Supplier<? extends CommonService<?>> factory) {
        return register(name, ranking, Duration.ofSeconds(ServiceProperties.DEFAULT_START_TIMEOUT_SECONDS),
                Duration.ofSeconds(ServiceProperties.DEFAULT_STOP_TIMEOUT_SECONDS), factory);
    }

    /**
     * Registers service {@code name} as {@link #register(String, int, Supplier)}, with the start and stop timeouts
     * its {@code jsorc.service.start.timeout} and {@code jsorc.service.stop.timeout} would give.
     */
    public TestKit register(String name, int ranking, Duration startTimeout, Duration stopTimeout,
            Supplier<? extends CommonService<?>> factory) {
        long id = ids.incrementAndGet();
        ServiceSource source = new ServiceSource(name, id, ranking, "testkit", ServiceProperties.defaultConfigName(name),
                null, startTimeout, stopTimeout, factory, instance -> { }, null);
        sources.put(id, source);
        configApi.addService(Map.of(Constants.SERVICE_ID, id, ServiceProperties.SERVICE_NAME, name));
        meta.register(source);
        return this;
    }

    /** Removes every registration of {@code name}, as stopping its bundle would: its instances are closed. */
    public TestKit unregister(String name) {
        sources.entrySet().removeIf(entry -> {
            if (entry.getValue().name().equals(name)) {
                meta.unregister(entry.getValue());
                configApi.removeService(Map.of(Constants.SERVICE_ID, entry.getKey()));
                return true;
            }
            return false;
        });
        return this;
    }

    /** Adds a listener for service state changes (delivered asynchronously, in order per name). */
    public TestKit listen(ServiceStateListener listener) {
        meta.addStateListener(listener);
        return this;
    }

    public GlobStore globs() {
        return globs;
    }

    public MetaService meta() {
        return meta;
    }

    /** The original's config API over the kit's store; valid names are those of the registered services. */
    public ConfigApi configApi() {
        return configApi;
    }

    /** A hook from {@code meta().buildHook()}. */
    public Hook hook() {
        return meta.buildHook();
    }

    /** Closes every instance and stops every thread of the kit. */
    @Override
    public void close() {
        meta.close();
        globs.close();
    }

    private ServiceRegistration<?> registration(String name) {
        return new ServiceRegistration<Object>() {
            @Override
            public ServiceReference<Object> getReference() {
                throw new IllegalStateException("the test kit has no service registry");
            }

            @Override
            public void setProperties(Dictionary<String, ?> properties) {
                throw new IllegalStateException("the test kit has no service registry");
            }

            @Override
            public void unregister() {
                TestKit.this.unregister(name);
            }
        };
    }
}
