package io.jsorc.meta.internal;

import io.jsorc.api.CommonService;
import io.jsorc.api.ServiceProperties;
import java.time.Duration;
import java.util.Hashtable;
import java.util.Objects;
import java.util.function.Supplier;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.PrototypeServiceFactory;
import org.osgi.framework.ServiceObjects;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.SynchronousBundleListener;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.util.tracker.ServiceTracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds the {@link Registry} from the OSGi service registry: every service with {@code jsorc.service.name} that is
 * prototype-scoped and a {@code CommonService} of our API becomes a {@link ServiceSource}; others are refused with a
 * WARN naming the bundle. A ranking change re-chooses the winner; any other property change is a departure and a
 * new arrival. Also drops contexts of stopping bundles and registers service builders.
 *
 * <p>Thread-safety: the callbacks come from the framework on any thread; arrivals and changes only enqueue, a
 * departure waits (bounded) for its instances to close.
 */
final class RegistrationTracker extends ServiceTracker<Object, RegistrationTracker.Tracked>
        implements Registrar, SynchronousBundleListener {

    private static final Logger LOG = LoggerFactory.getLogger(RegistrationTracker.class);
    private static final String FILTER = "(&(objectClass=" + CommonService.class.getName() + ")("
            + ServiceProperties.SERVICE_NAME + "=*))";

    /** Service names and the globs they declare: what a glob name may be. */
    static final String NAME_PATTERN = "[A-Za-z0-9_]{1,100}";

    /**
     * The source currently standing for one tracked registration (null while its properties make it invalid), and
     * the ranking last seen on it (the source's own ranking changes later, on the name's lane).
     */
    static final class Tracked {
        volatile ServiceSource source;
        volatile int ranking;

        Tracked(ServiceSource source) {
            this.source = source;
            this.ranking = source == null ? 0 : source.ranking();
        }
    }

    static boolean validName(String name) {
        return name != null && name.matches(NAME_PATTERN);
    }

    private final Registry registry;
    private final Contexts contexts;
    private final Object builderLock = new Object();

    RegistrationTracker(BundleContext context, Registry registry, Contexts contexts) {
        super(context, filter(context), null);
        this.registry = registry;
        this.contexts = contexts;
    }

    @Override
    public void open() {
        context.addBundleListener(this);
        super.open(true);
    }

    @Override
    public void close() {
        context.removeBundleListener(this);
        super.close();
    }

    @Override
    public Tracked addingService(ServiceReference<Object> reference) {
        ServiceSource source = source(reference);
        if (source == null) {
            return null;
        }
        LOG.info("Service {} arrived from {}", source.name(), source.label());
        registry.added(source);
        return new Tracked(source);
    }

    /**
     * A ranking change re-chooses the winner; any other change is a departure and a new arrival; properties that
     * make the registration invalid are a departure until valid ones arrive again.
     */
    @Override
    public void modifiedService(ServiceReference<Object> reference, Tracked tracked) {
        ServiceSource old = tracked.source;
        ServiceSource now = source(reference);
        if (old != null && now != null && sameButRanking(old, now)) {
            if (now.ranking() != tracked.ranking) {
                LOG.info("Service {} from {}: ranking {} -> {}", old.name(), old.bundle(), tracked.ranking,
                        now.ranking());
                tracked.ranking = now.ranking();
                registry.rankingChanged(old, now.ranking());
            }
            return;
        }
        if (old != null) {
            registry.removed(old);
        }
        tracked.source = now;
        if (now != null) {
            tracked.ranking = now.ranking();
            LOG.info("Service {} arrived from {}", now.name(), now.label());
            registry.added(now);
        }
    }

    @Override
    public void removedService(ServiceReference<Object> reference, Tracked tracked) {
        if (tracked.source != null) {
            registry.removed(tracked.source);
        }
    }

    private static boolean sameButRanking(ServiceSource a, ServiceSource b) {
        return a.name().equals(b.name()) && a.configGlob().equals(b.configGlob())
                && Objects.equals(a.manifestGlob(), b.manifestGlob()) && a.startTimeout().equals(b.startTimeout())
                && a.stopTimeout().equals(b.stopTimeout());
    }

    @Override
    public void bundleChanged(BundleEvent event) {
        if (event.getType() == BundleEvent.STOPPING) {
            BundleWiring wiring = event.getBundle().adapt(BundleWiring.class);
            if (wiring != null && wiring.getClassLoader() != null) {
                contexts.dropLoadedBy(wiring.getClassLoader());
            }
        }
    }

    /** The source for a registration, or null (refused with a WARN). */
    private ServiceSource source(ServiceReference<Object> reference) {
        Bundle provider = reference.getBundle();
        String label = provider == null ? "?" : provider.getSymbolicName() + " " + provider.getVersion();
        Object name = reference.getProperty(ServiceProperties.SERVICE_NAME);
        if (!(name instanceof String text) || !validName(text) || ServiceProperties.META.equals(text)) {
            LOG.warn("Refusing service {} of bundle {}: {} must match {} and not be meta", name, label,
                    ServiceProperties.SERVICE_NAME, NAME_PATTERN);
            return null;
        }
        String config = configGlob(reference, text);
        if (!validName(config)) {
            LOG.warn("Refusing service {} of bundle {}: its {} {} must match {}", text, label,
                    ServiceProperties.SERVICE_CONFIG, config, NAME_PATTERN);
            return null;
        }
        if (!Constants.SCOPE_PROTOTYPE.equals(reference.getProperty(Constants.SERVICE_SCOPE))) {
            LOG.warn("Refusing service {} of bundle {}: it is not prototype-scoped "
                    + "(use @Component(scope = ServiceScope.PROTOTYPE))", text, label);
            return null;
        }
        if (!reference.isAssignableTo(context.getBundle(), CommonService.class.getName())) {
            LOG.warn("Refusing service {} of bundle {}: its CommonService is not io.jsorc.api's "
                    + "(did the bundle embed its own copy of the API?)", text, label);
            return null;
        }
        ServiceObjects<Object> objects = context.getServiceObjects(reference);
        if (objects == null) {
            return null;
        }
        return new ServiceSource(text, (Long) reference.getProperty(Constants.SERVICE_ID), ranking(reference), label,
                config, stringProperty(reference, ServiceProperties.SERVICE_MANIFEST),
                seconds(reference, ServiceProperties.SERVICE_START_TIMEOUT,
                        ServiceProperties.DEFAULT_START_TIMEOUT_SECONDS),
                seconds(reference, ServiceProperties.SERVICE_STOP_TIMEOUT,
                        ServiceProperties.DEFAULT_STOP_TIMEOUT_SECONDS),
                () -> (CommonService<?>) objects.getService(), instance -> ungetQuietly(objects, instance),
                reference);
    }

    @Override
    public ServiceRegistration<?> register(BundleContext owner, String name,
            Supplier<? extends CommonService<?>> supplier) {
        synchronized (builderLock) {
            try {
                if (owner.getServiceReferences((String) null,
                        "(" + ServiceProperties.SERVICE_NAME + "=" + name + ")") != null) {
                    throw new IllegalArgumentException(name + " already exists!");
                }
            } catch (InvalidSyntaxException e) {
                throw new IllegalArgumentException("Invalid service name " + name, e);
            }
            Hashtable<String, Object> properties = new Hashtable<>();
            properties.put(ServiceProperties.SERVICE_NAME, name);
            properties.put(ServiceProperties.SERVICE_CONFIG, ServiceProperties.defaultConfigName(name));
            return owner.registerService(CommonService.class.getName(), new PrototypeServiceFactory<Object>() {
                @Override
                public Object getService(Bundle bundle, ServiceRegistration<Object> registration) {
                    return supplier.get();
                }

                @Override
                public void ungetService(Bundle bundle, ServiceRegistration<Object> registration, Object service) {
                    // instances are closed by MetaService before they are handed back
                }
            }, properties);
        }
    }

    private static void ungetQuietly(ServiceObjects<Object> objects, CommonService<?> instance) {
        try {
            objects.ungetService(instance);
        } catch (IllegalStateException | IllegalArgumentException e) {
            LOG.debug("Instance of {} already released", instance.serviceName());
        }
    }

    private static org.osgi.framework.Filter filter(BundleContext context) {
        try {
            return context.createFilter(FILTER);
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int ranking(ServiceReference<?> reference) {
        Object ranking = reference.getProperty(Constants.SERVICE_RANKING);
        return ranking instanceof Integer value ? value : 0;
    }

    private static String configGlob(ServiceReference<?> reference, String name) {
        String declared = stringProperty(reference, ServiceProperties.SERVICE_CONFIG);
        return declared != null ? declared : ServiceProperties.defaultConfigName(name);
    }

    private static String stringProperty(ServiceReference<?> reference, String key) {
        Object value = reference.getProperty(key);
        return value instanceof String text && !text.isBlank() ? text : null;
    }

    /** A timeout property in whole seconds (a number or a numeric string, at least 1), else the default. */
    static Duration seconds(ServiceReference<?> reference, String key, int fallback) {
        Object value = reference.getProperty(key);
        try {
            if (value instanceof Number number) {
                return Duration.ofSeconds(Math.max(1, number.longValue()));
            }
            if (value instanceof String text) {
                return Duration.ofSeconds(Math.max(1, Long.parseLong(text.trim())));
            }
        } catch (NumberFormatException e) {
            LOG.warn("Ignoring {}={} of {}: not a number of seconds", key, value,
                    reference.getProperty(ServiceProperties.SERVICE_NAME));
        }
        return Duration.ofSeconds(fallback);
    }
}
