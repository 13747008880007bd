package io.jsorc.kube.internal;

import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.HashMap;
import java.util.Map;

/**
 * Any kind the API server knows: a kind of fabric8's model is described from its class; any other (a CRD's) is
 * found by discovery ({@code GET /apis/<group>/<version>}: plural and whether it is namespaced). One instance per
 * apply: discovery answers are cached for that apply only, so a CRD installed meanwhile is found next time.
 */
final class Kinds {

    /** A kind as the API server serves it. */
    record Kind(String apiVersion, String kind, ResourceDefinitionContext context) {
        boolean namespaced() {
            return context.isNamespaceScoped();
        }

        /** {@link Kinds#key}. */
        String key() {
            return Kinds.key(apiVersion, kind);
        }
    }

    /**
     * Group and kind, not the version: one object served under two versions (a kind moving from {@code v2beta2} to
     * {@code v2}) is one object. Read from {@code apiVersion} ({@code group/version}, or {@code v1} for the core
     * group), so a kind is keyed before the API server was asked anything.
     */
    static String key(String apiVersion, String kind) {
        int slash = apiVersion.indexOf('/');
        return (slash < 0 ? "" : apiVersion.substring(0, slash)) + "/" + kind;
    }

    private final KubernetesClient client;
    private final Map<String, Kind> known = new HashMap<>();
    private final Map<String, APIResourceList> discovered = new HashMap<>();

    Kinds(KubernetesClient client) {
        this.client = client;
    }

    /**
     * @throws IllegalArgumentException the API server does not serve {@code kind} in {@code apiVersion}
     */
    synchronized Kind resolve(String apiVersion, String kind) {
        String key = apiVersion + "/" + kind;
        Kind found = known.get(key);
        if (found != null) {
            return found;
        }
        Class<? extends KubernetesResource> type = client.getKubernetesSerialization()
                .getRegisteredKubernetesResource(apiVersion, kind);
        ResourceDefinitionContext context = null;
        if (type != null && HasMetadata.class.isAssignableFrom(type) && type != GenericKubernetesResource.class) {
            context = ResourceDefinitionContext.fromResourceType(type);
        } else {
            APIResourceList resources = discovered.computeIfAbsent(apiVersion, this::discover);
            if (resources != null && resources.getResources() != null) {
                for (APIResource resource : resources.getResources()) {
                    if (kind.equals(resource.getKind()) && resource.getName() != null
                            && !resource.getName().contains("/")) {
                        context = ResourceDefinitionContext.fromApiResource(apiVersion, resource);
                        break;
                    }
                }
            }
        }
        if (context == null) {
            throw new IllegalArgumentException("The API server does not serve kind " + kind + " in " + apiVersion
                    + " (is its CRD installed?)");
        }
        found = new Kind(apiVersion, kind, context);
        known.put(key, found);
        return found;
    }

    /** Forgets what discovery said of {@code apiVersion} (a CRD was just created). */
    synchronized void forget(String apiVersion) {
        discovered.remove(apiVersion);
        known.keySet().removeIf(k -> k.startsWith(apiVersion + "/"));
    }

    /** {@code kind} in its group's preferred version, or null (the core group, or not served). */
    synchronized Kind preferred(String apiVersion, String kind) {
        int slash = apiVersion.indexOf('/');
        if (slash < 0) {
            return null;
        }
        try {
            io.fabric8.kubernetes.api.model.APIGroup group = client.getApiGroup(apiVersion.substring(0, slash));
            if (group == null || group.getPreferredVersion() == null
                    || apiVersion.equals(group.getPreferredVersion().getGroupVersion())) {
                return null;
            }
            return resolve(group.getPreferredVersion().getGroupVersion(), kind);
        } catch (IllegalArgumentException | KubernetesClientException e) {
            return null;
        }
    }

    private APIResourceList discover(String apiVersion) {
        try {
            return client.getApiResources(apiVersion);
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return null;
            }
            throw e;
        }
    }
}
