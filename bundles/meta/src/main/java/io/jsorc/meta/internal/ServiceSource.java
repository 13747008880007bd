package io.jsorc.meta.internal;

import io.jsorc.api.CommonService;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One registration of a service name: where instances come from and how they are handed back. Ordered best
 * first: highest ranking, then lowest id (OSGi's order).
 *
 * @param name          the service name
 * @param id            {@code service.id} (or a test kit counter)
 * @param ranking       {@code service.ranking}
 * @param bundle        symbolic name and version of the providing bundle
 * @param configGlob    the glob the service reads
 * @param manifestGlob  its manifest glob, or null
 * @param startTimeoutSeconds the start timeout of {@code run}
 * @param factory       makes a new instance
 * @param releaser      hands an instance back
 */
public record ServiceSource(String name, long id, int ranking, String bundle, String configGlob, String manifestGlob,
        int startTimeoutSeconds, Supplier<? extends CommonService<?>> factory,
        Consumer<CommonService<?>> releaser) implements Comparable<ServiceSource> {

    @Override
    public int compareTo(ServiceSource other) {
        if (ranking != other.ranking) {
            return Integer.compare(other.ranking, ranking);
        }
        return Long.compare(id, other.id);
    }

    /** {@code bundle [ranking=r, id=i]}. */
    String label() {
        return bundle + " [ranking=" + ranking + ", id=" + id + "]";
    }

    @Override
    public boolean equals(Object other) {
        return this == other;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }
}
