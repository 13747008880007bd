package io.jsorc.loop.internal;

import io.jsorc.api.config.Origin;
import io.jsorc.api.spi.ManifestApplier;
import java.util.List;
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

            @Override
            public Map<String, Object> applyYaml(String name, String yaml, String paraphrase, boolean adopt,
                    Origin origin) {
                throw new UnsupportedOperationException("not in loop tests");
            }

            @Override
            public Map<String, Object> loadYaml(String yaml, String namespace, Origin origin) {
                throw new UnsupportedOperationException("not in loop tests");
            }

            @Override
            public List<ManifestStatus> manifests() {
                return List.of();
            }
        };
    }
}
