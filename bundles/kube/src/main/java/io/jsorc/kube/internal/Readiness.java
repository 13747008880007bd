package io.jsorc.kube.internal;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Whether a manifest's workloads are ready, so the service may be reset. Every workload counts (never
 * {@code items[0]}):
 * <ul>
 *   <li>with status (a real cluster): {@code observedGeneration >= generation} and ready = updated =
 *       {@code spec.replicas} (a DaemonSet: ready = updated = desired scheduled);</li>
 *   <li>without status (nothing filled it: the mock server): at least {@code spec.replicas} pods matching
 *       {@code spec.selector.matchLabels} are Running and Ready, terminating pods ignored;</li>
 *   <li>no workload at all: the original's convention, pods labelled {@code pod=<last Service name>}: at least one,
 *       and every one not terminating Running and Ready.</li>
 * </ul>
 */
public final class Readiness {

    static final List<String> WORKLOADS = List.of("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet");

    /** The verdict and, when not ready, what is waited for. */
    public record Verdict(boolean ready, List<String> waiting) {
        public String note() {
            return ready ? "ready" : "waiting for " + String.join("; ", waiting);
        }
    }

    private final KubernetesClient client;
    private final Kinds kinds;

    Readiness(KubernetesClient client) {
        this.client = client;
        this.kinds = new Kinds(client);
    }

    /** @param docs the manifest's documents, as applied (namespace set) */
    Verdict check(List<Map<String, Object>> docs, String defaultNamespace) {
        List<String> waiting = new ArrayList<>();
        boolean anyWorkload = false;
        String lastService = null;
        String lastServiceNamespace = defaultNamespace;
        for (Map<String, Object> raw : docs) {
            @SuppressWarnings("unchecked")
            Map<String, Object> doc = (Map<String, Object>) Reconciler.substitute(raw, defaultNamespace);
            String kind = String.valueOf(doc.get("kind"));
            String name = ManifestYaml.name(doc);
            Object ns = Json.at(doc, "metadata", "namespace");
            String namespace = ns == null ? defaultNamespace : String.valueOf(ns);
            if ("Service".equals(kind) && "v1".equals(doc.get("apiVersion"))) {
                lastService = name;
                lastServiceNamespace = namespace;
            }
            if (!WORKLOADS.contains(kind) || !String.valueOf(doc.get("apiVersion")).startsWith("apps/")) {
                continue;
            }
            anyWorkload = true;
            String why = workload(String.valueOf(doc.get("apiVersion")), kind, namespace, name);
            if (why != null) {
                waiting.add(kind + " " + name + ": " + why);
            }
        }
        if (!anyWorkload && lastService != null) {
            String why = pods(lastServiceNamespace, Map.of("pod", lastService), 1, true);
            if (why != null) {
                waiting.add("pods pod=" + lastService + ": " + why);
            }
        }
        return new Verdict(waiting.isEmpty(), waiting);
    }

    /** Null when ready, else why not. */
    private String workload(String apiVersion, String kind, String namespace, String name) {
        GenericKubernetesResource live = client.genericKubernetesResources(kinds.resolve(apiVersion, kind).context())
                .inNamespace(namespace)
                .withName(name).get();
        if (live == null) {
            return "not found";
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = client.getKubernetesSerialization().convertValue(live, Map.class);
        long generation = number(Json.at(map, "metadata", "generation"), 0);
        Object observed = Json.at(map, "status", "observedGeneration");
        if (observed != null) {
            if (number(observed, 0) < generation) {
                return "generation " + generation + " not observed yet";
            }
            if ("DaemonSet".equals(kind)) {
                long desired = number(Json.at(map, "status", "desiredNumberScheduled"), 0);
                long ready = number(Json.at(map, "status", "numberReady"), 0);
                long updated = number(Json.at(map, "status", "updatedNumberScheduled"), 0);
                return ready == desired && updated == desired ? null
                        : ready + "/" + desired + " ready, " + updated + " updated";
            }
            long replicas = number(Json.at(map, "spec", "replicas"), 1);
            long ready = number(Json.at(map, "status", "readyReplicas"), 0);
            long updated = number(Json.at(map, "status", "updatedReplicas"), "ReplicaSet".equals(kind) ? ready : 0);
            return ready == replicas && updated == replicas ? null
                    : ready + "/" + replicas + " ready, " + updated + " updated";
        }
        Object matchLabels = Json.at(map, "spec", "selector", "matchLabels");
        if (!(matchLabels instanceof Map<?, ?> labels) || labels.isEmpty()) {
            return "no status and no spec.selector.matchLabels to find its pods";
        }
        Map<String, String> selector = new LinkedHashMap<>();
        labels.forEach((k, v) -> selector.put(String.valueOf(k), String.valueOf(v)));
        long replicas = "DaemonSet".equals(kind) ? 1 : number(Json.at(map, "spec", "replicas"), 1);
        return pods(namespace, selector, replicas, false);
    }

    /** Null when at least {@code wanted} matching pods are Running and Ready (all of them when {@code all}). */
    private String pods(String namespace, Map<String, String> selector, long wanted, boolean all) {
        int running = 0;
        int live = 0;
        for (Pod pod : client.pods().inNamespace(namespace).withLabels(selector).list().getItems()) {
            if (pod.getMetadata().getDeletionTimestamp() != null || !matches(pod, selector)) {
                continue;                        // terminating (or the mock ignored the selector)
            }
            live++;
            if (isRunningAndReady(pod)) {
                running++;
            }
        }
        if (running >= wanted && (!all || running == live)) {
            return null;
        }
        return running + "/" + (all ? Math.max(live, wanted) : wanted) + " pods Running and Ready";
    }

    private static boolean matches(Pod pod, Map<String, String> selector) {
        Map<String, String> labels = pod.getMetadata().getLabels();
        return labels != null && labels.entrySet().containsAll(selector.entrySet());
    }

    static boolean isRunningAndReady(Pod pod) {
        if (pod.getStatus() == null || !"Running".equals(pod.getStatus().getPhase())) {
            return false;
        }
        List<PodCondition> conditions = pod.getStatus().getConditions();
        return conditions != null && conditions.stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private static long number(Object value, long fallback) {
        if (value instanceof Number n) {
            return n.longValue();
        }
        if (value instanceof String s) {
            try {
                return Long.parseLong(s);
            } catch (NumberFormatException e) {
                return fallback;
            }
        }
        return fallback;
    }
}
