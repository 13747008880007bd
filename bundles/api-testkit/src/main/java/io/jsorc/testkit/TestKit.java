package io.jsorc.testkit;

import io.jsorc.api.CommonService;
import io.jsorc.api.Hook;
import io.jsorc.api.MetaService;
import io.jsorc.api.ServiceProperties;
import io.jsorc.api.config.GlobStore;
import io.jsorc.api.event.ServiceStateListener;
import io.jsorc.globs.internal.glob.GlobStoreImpl;
import io.jsorc.meta.internal.MetaServiceImpl;
import io.jsorc.meta.internal.ServiceSource;
import java.util.Dictionary;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;

/**
 * The platform in memory, for unit tests of a service (the seed's MemoryHook role): the real MetaService runtime
 * and the real glob store (memory tier only), no OSGi framework.
 *
 * <pre>
 * try (TestKit kit = TestKit.create()) {
 *     kit.register("stripe", StripeService::new);
 *     kit.globs().set("STRIPE_CONFIG", "{\"enabled\":true,\"key\":\"sk_test_x\"}", null, Origin.local("test", "test"));
 *     kit.meta().refresh("stripe");
 *     CommonService&lt;?&gt; stripe = kit.meta().getService("stripe", kit.hook());
 * }
 * </pre>
 *
 * <p>Thread-safety: as MetaService. {@link #close} stops every thread the kit started.
 */
public final class TestKit implements AutoCloseable {

    private final GlobStoreImpl globs = new GlobStoreImpl();
    private final MetaServiceImpl meta;
    private final Map<String, ServiceSource> sources = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();

    private TestKit() {
        meta = new MetaServiceImpl(globs, (owner, name, supplier) -> register(name, 0, supplier).registration(name));
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
     * Registers service {@code name} with a ranking and waits until MetaService handled its arrival (the
     * background instance is built; when enabled, its start has been requested — await RUNNING).
     */
    public TestKit register(String name, int ranking, Supplier<? extends CommonService<?>> factory) {
        ServiceSource source = new ServiceSource(name, ids.incrementAndGet(), ranking, "testkit",
                ServiceProperties.defaultConfigName(name), null, ServiceProperties.DEFAULT_START_TIMEOUT_SECONDS,
                factory, instance -> { });
        sources.put(name + "#" + source.id(), source);
        meta.addSourceAndWait(source);
        return this;
    }

    /** Removes every registration of {@code name}, as stopping its bundle would: its instances are closed. */
    public TestKit unregister(String name) {
        sources.entrySet().removeIf(entry -> {
            if (entry.getValue().name().equals(name)) {
                meta.removeSource(entry.getValue());
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
