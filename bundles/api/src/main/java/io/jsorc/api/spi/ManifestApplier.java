package io.jsorc.api.spi;

import java.util.Map;

/**
 * The cluster side of the automation loop, implemented by the Kubernetes part. Without one registered, the loop
 * supervises services with a manifest locally and says their manifests are not applied.
 */
@org.osgi.annotation.versioning.ConsumerType
public interface ManifestApplier {

    /**
     * Where manifests go, one line for {@code jsorc:status} ({@code Kubernetes namespace default at https://...}),
     * or why they cannot go there now.
     *
     * @return the description
     */
    String describe();

    /**
     * Applies the manifest of a {@code keep_alive} service that is not RUNNING.
     *
     * @param service the service
     * @param manifest its manifest ({@code {"Kind": [docs]}}, reserved keys removed)
     * @param manifestMeta {@code __OLD_CONFIG__} and {@code __UNSAFE_PARAPHRASE__}
     * @param namespace {@code META_CONFIG.namespace}
     * @return whether its workload is ready (then the loop resets the service) and a one-line note
     * @throws Exception when it could not be applied; the loop counts no failure of the service for it
     */
    Applied apply(String service, Map<String, Object> manifest, Map<String, Object> manifestMeta, String namespace)
            throws Exception;

    /**
     * The outcome of {@link #apply}.
     *
     * @param ready whether the service's workload is ready, so the service may be reset now
     * @param note what was done, one line
     */
    record Applied(boolean ready, String note) {
    }
}
