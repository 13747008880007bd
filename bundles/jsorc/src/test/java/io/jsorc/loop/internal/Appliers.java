package io.jsorc.loop.internal;

import io.jsorc.api.spi.ManifestApplier;
import java.util.Map;

/** Cluster sides for tests: a description and what {@code apply} does. */
final class Appliers {

    /** What a test's {@code apply} does. */
    @FunctionalInterface
    interface Apply {
        ManifestApplier.Applied apply(String service, Map<String, Object> manifest, String namespace) throws Exception;
    }

    private Appliers() {
    }

    static ManifestApplier of(String description, Apply apply) {
        return new ManifestApplier() {
            @Override
            public String describe() {
                return description;
            }

            @Override
            public Applied apply(String service, Map<String, Object> manifest, Map<String, Object> meta,
                    String namespace) throws Exception {
                return apply.apply(service, manifest, namespace);
            }
        };
    }
}
