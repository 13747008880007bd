package io.jsorc.meta.internal;

import io.jsorc.api.CommonService;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.osgi.framework.ServiceReference;

/**
 * One registration of a service name: where instances come from and how they are handed back. Ordered best first,
 * OSGi's order: in the registry {@link ServiceReference#compareTo} (highest ranking, then lowest id); in the test kit,
 * which has no registry, the same rule on its own numbers. Identity is the registration (no {@code equals}).
 *
 * <p>Thread-safety: immutable except {@link #ranking}, which only the name's lane changes (a ranking change), and
 * whether it departed, which is set once when the registration leaves.
 */
public final class ServiceSource implements Comparable<ServiceSource> {

    private final String name;
    private final long id;
    private volatile int ranking;
    private final String bundle;
    private final String configGlob;
    private final String manifestGlob;
    private final Duration startTimeout;
    private final Duration stopTimeout;
    private final Supplier<? extends CommonService<?>> factory;
    private final Consumer<CommonService<?>> releaser;
    private final ServiceReference<?> reference;
    private volatile boolean departed;

    /**
     * @param bundle    symbolic name and version of the providing bundle
     * @param reference the registration, or null outside a registry (the test kit)
     */
    public ServiceSource(String name, long id, int ranking, String bundle, String configGlob, String manifestGlob,
            Duration startTimeout, Duration stopTimeout, Supplier<? extends CommonService<?>> factory,
            Consumer<CommonService<?>> releaser, ServiceReference<?> reference) {
        this.name = name;
        this.id = id;
        this.ranking = ranking;
        this.bundle = bundle;
        this.configGlob = configGlob;
        this.manifestGlob = manifestGlob;
        this.startTimeout = startTimeout;
        this.stopTimeout = stopTimeout;
        this.factory = factory;
        this.releaser = releaser;
        this.reference = reference;
    }

    @Override
    public int compareTo(ServiceSource other) {
        if (reference != null && other.reference != null) {
            return other.reference.compareTo(reference);
        }
        if (ranking != other.ranking) {
            return Integer.compare(other.ranking, ranking);
        }
        return Long.compare(id, other.id);
    }

    public String name() {
        return name;
    }

    public long id() {
        return id;
    }

    public int ranking() {
        return ranking;
    }

    void ranking(int changed) {
        ranking = changed;
    }

    /** The registration left: none of its instances may run author code any more. */
    void depart() {
        departed = true;
    }

    boolean isDeparted() {
        return departed;
    }

    public String bundle() {
        return bundle;
    }

    public String configGlob() {
        return configGlob;
    }

    public String manifestGlob() {
        return manifestGlob;
    }

    public Duration startTimeout() {
        return startTimeout;
    }

    public Duration stopTimeout() {
        return stopTimeout;
    }

    Supplier<? extends CommonService<?>> factory() {
        return factory;
    }

    Consumer<CommonService<?>> releaser() {
        return releaser;
    }

    /** {@code bundle [ranking=r, id=i]}. */
    String label() {
        return bundle + " [ranking=" + ranking + ", id=" + id + "]";
    }

    @Override
    public String toString() {
        return name + " from " + label();
    }
}
