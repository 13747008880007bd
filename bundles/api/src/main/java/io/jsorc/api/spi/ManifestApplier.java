package io.jsorc.api.spi;

import io.jsorc.api.config.Origin;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The cluster side of the automation loop, registered by the Kubernetes part ({@code jsorc-kube}): it stores
 * manifests ({@code apply_yaml}), creates raw documents ({@code load_yaml}) and applies a service's manifest when the
 * loop asks. Without one registered, the loop supervises services with a manifest locally and says their manifests
 * are not applied. The console and the HTTP API use it for {@code apply_yaml}, {@code load_yaml} and the status of
 * manifests. All methods are thread-safe.
 */
@org.osgi.annotation.versioning.ProviderType
public interface ManifestApplier {

    /** The paraphrase that authorises deleting protected kinds, compared exactly (the original's). */
    String UNSAFE_PARAPHRASE = "I know what I'm doing!";

    /**
     * Where manifests go, one line for {@code jsorc:status} ({@code Kubernetes namespace default at https://...}),
     * or why they cannot go there now.
     *
     * @return the description
     */
    String describe();

    /**
     * Applies the manifest of a {@code keep_alive} service: level-based and idempotent (nothing is written when the
     * cluster already holds this version). The manifest glob as stored now wins over {@code manifest} (which a
     * RUNNING service read at its last reset); {@code manifest} is applied when no such glob exists (a manifest the
     * service builds itself).
     *
     * @param service the service
     * @param manifest its manifest ({@code {"Kind": [docs]}}, {@code __OLD_CONFIG__} and
     *     {@code __UNSAFE_PARAPHRASE__} removed; other keys starting with {@code __} are reserved and not kinds)
     * @param manifestMeta {@code __OLD_CONFIG__} and {@code __UNSAFE_PARAPHRASE__}
     * @param namespace {@code META_CONFIG.namespace}
     * @return whether its workload is ready (then the loop resets the service) and a one-line note
     * @throws Exception when it could not be applied (API server away, 5xx, timeouts): the loop backs off for the
     *     service without counting a failure of the service; nothing was deleted because of it
     */
    Applied apply(String service, Map<String, Object> manifest, Map<String, Object> manifestMeta, String namespace)
            throws Exception;

    /**
     * Whether {@code service} has a manifest to apply: {@code manifest} (what the service read at its last reset) is
     * not empty, or its manifest glob is stored now (a manifest stored while the service runs counts at once).
     *
     * @param service the service
     * @param manifest the manifest it holds, or null
     * @return whether {@link #apply} has something to apply
     */
    default boolean hasManifest(String service, Map<String, Object> manifest) {
        return manifest != null && !manifest.isEmpty();
    }

    /**
     * {@code apply_yaml}: parses multi-document YAML (safe loading, bounded), groups it by kind, stamps label
     * {@code config_version} where missing (strictly increasing per manifest), records the previous names
     * ({@code __OLD_CONFIG__}) and the paraphrase when it is exactly {@link #UNSAFE_PARAPHRASE}, and stores glob
     * {@code name}. Nothing is applied here: the loop applies it (or the caller asks for it now).
     *
     * @param name the manifest glob ({@code <NAME>_MANIFEST})
     * @param yaml the documents
     * @param unsafeParaphrase the paraphrase, or empty
     * @param adopt whether objects that exist without our owner label may be taken over by this version
     * @param origin who asks
     * @return the stored manifest
     * @throws IllegalArgumentException bad YAML, a document without kind or name, a bad glob name (nothing stored)
     */
    Map<String, Object> applyYaml(String name, String yaml, String unsafeParaphrase, boolean adopt, Origin origin);

    /**
     * {@code load_yaml}: creates every document directly in {@code namespace}, without associating it with a
     * service; only while automation is on.
     *
     * @param yaml the documents
     * @param namespace where namespaced documents without one go
     * @param origin who asks
     * @return the created objects grouped by kind, or {@code {"message": ...}} when automation is off
     * @throws IllegalArgumentException bad YAML (nothing created)
     * @throws Exception when the API server refused or could not be reached (what was created before stays)
     */
    Map<String, Object> loadYaml(String yaml, String namespace, Origin origin) throws Exception;

    /**
     * What was applied of each manifest, for status.
     *
     * @return one entry per manifest applied since this node started
     */
    List<ManifestStatus> manifests();

    /**
     * The outcome of {@link #apply}.
     *
     * @param ready whether the service's workload is ready, so the service may be reset now
     * @param note what was done, one line
     */
    record Applied(boolean ready, String note) {
    }

    /**
     * What was last applied of one manifest.
     *
     * @param service the service
     * @param glob its manifest glob
     * @param version the {@code config_version} applied (the highest of its documents)
     * @param objects how many objects it has
     * @param ready whether its workload was ready then
     * @param note what the last apply did, one line
     * @param at when
     */
    record ManifestStatus(String service, String glob, String version, int objects, boolean ready, String note,
            Instant at) {
    }
}
