package io.jsorc.kube.internal;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.jsorc.api.config.Secrets;
import io.jsorc.kube.internal.Kinds.Kind;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies one manifest, level-based and idempotent, or plans it (reads only). See docs/kubernetes.md for every rule.
 *
 * <p>Per kind (manifest order): one LIST of the objects we own ({@code jsorc.io/owner=<glob>}); an object we own
 * whose {@code config_version} equals the manifest's is left alone; one that differs is patched with a three-way
 * merge ({@link MergePatch}: JSON merge patch semantics, sent as the equivalent JSON Patch operations) carrying its
 * {@code resourceVersion} (409: read again and recompute); one we
 * do not own is created (409: it appeared meanwhile, read it); an object that exists without our label is left
 * unchanged and reported unless the version says adopt. Writes of one kind go out concurrently. Only when every
 * write succeeded are the objects we own and no longer want pruned (kinds in reverse order), protected kinds only
 * with the paraphrase. Any error stops the apply before pruning: an error never deletes anything.
 */
public final class Reconciler {

    static final String OWNER = "jsorc.io/owner";
    /**
     * {@code META_CONFIG.namespace} of the platform that owns the object: with {@link #OWNER}, what makes it ours (two
     * platforms in two namespaces applying the same manifest own different cluster-scoped objects).
     */
    static final String OWNER_NAMESPACE = "jsorc.io/namespace";
    static final String LAST_APPLIED = "jsorc.io/last-applied";
    /** Instead of {@link #LAST_APPLIED} when that would be over {@link #LAST_APPLIED_MAX}: the version in history. */
    static final String LAST_APPLIED_VERSION = "jsorc.io/last-applied-version";
    static final int LAST_APPLIED_MAX = 200 * 1024;
    /** Replaced by the namespace in every string of a document (cluster-scoped names of two namespaces differ). */
    static final String NAMESPACE_PLACEHOLDER = "${jsorc.namespace}";
    static final List<String> DEFAULT_PROTECTED = List.of("PersistentVolumeClaim", "PersistentVolume", "Namespace",
            "CustomResourceDefinition");
    private static final int CONFLICT_RETRIES = 5;

    private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);

    /** The document of a kind and name as stored in an earlier version of a manifest (for a large last-applied). */
    @FunctionalInterface
    interface History {
        Map<String, Object> find(String glob, String kind, String name, String version);
    }

    /** What to apply. */
    record Request(String glob, List<Map<String, Object>> docs, Map<String, Object> oldConfig,
            Map<String, Object> oldApis, String namespace, boolean unsafe, boolean adopt, Set<String> protectedKinds) {
    }

    /** What was (or would be) done to one object. */
    public enum Action { CREATE, UPDATE, UNCHANGED, ADOPT, PRUNE, KEPT_PROTECTED, LEFT_UNOWNED }

    /** One object's step; {@code fields} only for updates and adoptions (the patch, field by field). */
    public record Step(Action action, String kind, String namespace, String name, List<String> fields) {
        public String where() {
            return kind + " " + (namespace == null ? "" : namespace + "/") + name;
        }
    }

    /** What an apply did. */
    public record Result(List<Step> steps, String version, int objects) {
        public long count(Action action) {
            return steps.stream().filter(s -> s.action() == action).count();
        }

        public String summary() {
            List<String> parts = new ArrayList<>();
            add(parts, Action.CREATE, "created");
            add(parts, Action.UPDATE, "updated");
            add(parts, Action.ADOPT, "adopted");
            add(parts, Action.UNCHANGED, "unchanged");
            add(parts, Action.PRUNE, "pruned");
            add(parts, Action.KEPT_PROTECTED, "kept (protected: needs the paraphrase)");
            add(parts, Action.LEFT_UNOWNED, "left alone (not ours: apply with --adopt)");
            return "version " + (version == null ? "-" : version) + ": "
                    + (parts.isEmpty() ? "nothing" : String.join(", ", parts));
        }

        private void add(List<String> parts, Action action, String word) {
            long n = count(action);
            if (n > 0) {
                parts.add(n + " " + word);
            }
        }
    }

    private final KubernetesClient client;
    private final KubernetesSerialization json;
    private final Gate gate;
    private final Executor writers;
    private final History history;
    private final boolean quiet;

    Reconciler(KubernetesClient client, Gate gate, Executor writers, History history, boolean quiet) {
        this.client = client;
        this.json = client.getKubernetesSerialization();
        this.gate = gate;
        this.writers = writers;
        this.history = history;
        this.quiet = quiet;
    }

    /** Applies {@code request}. */
    Result apply(Request request) throws Exception {
        return run(request, true);
    }

    /** What {@link #apply} would do, from reads only (GET and LIST; never the server's dryRun, which the mock ignores). */
    Result plan(Request request) throws Exception {
        return run(request, false);
    }

    // ------------------------------------------------------------------ the algorithm

    /** A desired object, resolved. */
    private record Desired(Kind kind, String namespace, String name, String version, Map<String, Object> body) {
        String key() {
            return kind.key() + "|" + namespace + "|" + name;
        }

        String where() {
            return kind.kind() + " " + (namespace == null ? "" : namespace + "/") + name;
        }
    }

    private Result run(Request request, boolean write) throws Exception {
        Kinds kinds = new Kinds(client);
        // the documents grouped by group and kind (read from apiVersion, before any discovery), in manifest order
        Map<String, List<Map<String, Object>>> docsByKind = new LinkedHashMap<>();
        Map<String, String> apiVersions = new LinkedHashMap<>();
        String version = null;
        for (Map<String, Object> doc : request.docs()) {
            String apiVersion = ManifestYaml.text(doc.get("apiVersion"));
            String kind = ManifestYaml.text(doc.get("kind"));
            if (apiVersion == null || kind == null || ManifestYaml.name(doc) == null) {
                throw new IllegalArgumentException("Manifest " + request.glob() + ": a document without apiVersion, "
                        + "kind or metadata.name");
            }
            docsByKind.computeIfAbsent(Kinds.key(apiVersion, kind), k -> new ArrayList<>()).add(doc);
            apiVersions.putIfAbsent(Kinds.key(apiVersion, kind), apiVersion);
            String v = ManifestYaml.version(doc) == null ? "1" : ManifestYaml.version(doc);
            version = version == null || compare(v, version) > 0 ? v : version;
        }
        // every kind is known before anything is written, except the kinds a CRD of this manifest defines: those are
        // resolved once that CRD has been applied (a CRD and its resources in one manifest)
        Map<String, Set<String>> definedHere = definedByCrds(request.docs());
        Map<String, List<Desired>> byKind = new LinkedHashMap<>();
        Map<String, Kind> kindsToList = new LinkedHashMap<>();
        boolean crdsPassed = false;
        for (Map.Entry<String, List<Map<String, Object>>> group : docsByKind.entrySet()) {
            String kind = String.valueOf(group.getValue().get(0).get("kind"));
            String apiVersion = apiVersions.get(group.getKey());
            crdsPassed |= group.getKey().equals(CRD_KEY);
            try {
                Kind resolved = kinds.resolve(apiVersion, kind);
                kindsToList.put(group.getKey(), resolved);
                byKind.put(group.getKey(), desired(resolved, group.getValue(), request));
            } catch (IllegalArgumentException e) {
                Set<String> versions = definedHere.get(group.getKey());
                if (versions == null) {
                    throw e;
                }
                String served = apiVersion.substring(apiVersion.indexOf('/') + 1);
                if (!versions.contains(served)) {
                    throw new IllegalArgumentException("Manifest " + request.glob() + ": " + kind + " in " + apiVersion
                            + ", but its CustomResourceDefinition here serves versions " + versions);
                }
                if (!crdsPassed) {
                    throw new IllegalArgumentException("Manifest " + request.glob() + ": " + kind + " comes before "
                            + "the CustomResourceDefinition that defines it: put the CRD first");
                }
            }
        }
        // kinds of earlier versions, so objects of a kind dropped entirely are pruned too
        Map<String, Kind> oldOnly = new LinkedHashMap<>();
        if (request.oldConfig() != null) {
            for (String kind : request.oldConfig().keySet()) {
                Object apiVersion = request.oldApis() == null ? null : request.oldApis().get(kind);
                if (apiVersion == null) {
                    apiVersion = apiVersions.entrySet().stream().filter(e -> e.getKey().endsWith("/" + kind))
                            .map(Map.Entry::getValue).findFirst().orElse(null);
                }
                if (apiVersion == null) {
                    LOG.warn("Manifest {}: kind {} of an earlier version has no known apiVersion: its objects are "
                            + "not pruned", request.glob(), kind);
                    continue;
                }
                String key = Kinds.key(String.valueOf(apiVersion), kind);
                if (docsByKind.containsKey(key) || oldOnly.containsKey(key)) {
                    continue;
                }
                try {
                    oldOnly.put(key, kinds.resolve(String.valueOf(apiVersion), kind));
                } catch (IllegalArgumentException e) {
                    // that version is gone: the group's preferred one (a CRD's kind that moved on)
                    Kind preferred = kinds.preferred(String.valueOf(apiVersion), kind);
                    if (preferred != null) {
                        oldOnly.put(key, preferred);
                    } else {
                        LOG.info("Manifest {}: kind {} of an earlier version is no longer served: nothing of it to "
                                + "prune", request.glob(), kind);
                    }
                }
            }
        }
        Map<String, Map<String, Object>> owned = new LinkedHashMap<>();
        Set<String> wanted = new LinkedHashSet<>();
        List<Step> steps = Collections.synchronizedList(new ArrayList<>());
        int objects = 0;
        for (Map.Entry<String, List<Map<String, Object>>> group : docsByKind.entrySet()) {
            objects += group.getValue().size();
            List<Desired> desired = byKind.get(group.getKey());
            if (desired == null) {
                // defined by a CRD of this manifest, applied just above
                String apiVersion = apiVersions.get(group.getKey());
                String kindName = String.valueOf(group.getValue().get(0).get("kind"));
                if (!write) {
                    for (Map<String, Object> doc : group.getValue()) {
                        steps.add(new Step(Action.CREATE, kindName, null, ManifestYaml.name(doc), List.of(
                                "(its CRD is created first by this manifest)")));
                    }
                    continue;
                }
                kinds.forget(apiVersion);
                Kind resolved;
                try {
                    resolved = kinds.resolve(apiVersion, kindName);
                } catch (IllegalArgumentException e) {
                    throw new IllegalStateException("Kind " + kindName + " of " + apiVersion + " is not served yet "
                            + "(its CRD was just created): applied at the next try");
                }
                kindsToList.put(group.getKey(), resolved);
                desired = desired(resolved, group.getValue(), request);
                byKind.put(group.getKey(), desired);
            }
            Kind kind = kindsToList.get(group.getKey());
            Set<String> namespaces = new LinkedHashSet<>();
            if (kind.namespaced()) {
                namespaces.add(request.namespace());
                desired.forEach(d -> namespaces.add(d.namespace()));
            } else {
                namespaces.add(null);
            }
            for (String namespace : namespaces) {
                for (Map<String, Object> live : listOwned(kind, namespace, request)) {
                    owned.put(kind.key() + "|" + namespace(live) + "|" + name(live), live);
                }
            }
            desired.forEach(d -> wanted.add(d.key()));
            List<CompletableFuture<Void>> pending = new ArrayList<>();
            for (Desired one : desired) {
                Map<String, Object> live = owned.get(one.key());
                if (write) {
                    pending.add(CompletableFuture.runAsync(() -> {
                        try {
                            steps.add(applyOne(one, live, request));
                        } catch (Exception e) {
                            throw new CompletionException(e);
                        }
                    }, writers));
                } else {
                    steps.add(planOne(one, live, request));
                }
            }
            awaitAll(pending);
        }
        for (Map.Entry<String, Kind> old : oldOnly.entrySet()) {
            Kind kind = listOldKind(kinds, old.getValue(), request, owned);
            if (kind != null) {
                kindsToList.put(old.getKey(), kind);
            }
        }
        // prune: ours, no longer wanted; kinds in reverse order (dependents first)
        List<Map.Entry<String, Map<String, Object>>> unwanted = new ArrayList<>();
        for (Map.Entry<String, Map<String, Object>> e : owned.entrySet()) {
            if (!wanted.contains(e.getKey())) {
                unwanted.add(e);
            }
        }
        Collections.reverse(unwanted);
        for (Map.Entry<String, Map<String, Object>> e : unwanted) {
            Kind kind = kindsToList.get(e.getKey().substring(0, e.getKey().indexOf('|')));
            steps.add(prune(kind, e.getValue(), request, write));
        }
        List<Step> ordered = new ArrayList<>(steps);
        return new Result(ordered, version, objects);
    }

    /**
     * Lists what we own of a kind only earlier versions had, into {@code owned}; returns the kind listed, or null.
     * Not served in the version recorded any more (404): its group's preferred version (a kind that moved on,
     * {@code v2beta2} → {@code v2}); not served at all: nothing of it to prune.
     */
    private Kind listOldKind(Kinds kinds, Kind kind, Request request, Map<String, Map<String, Object>> owned) {
        Kind listed = kind;
        for (int attempt = 0; attempt < 2; attempt++) {
            try {
                for (Map<String, Object> live : listOwned(listed, listed.namespaced() ? request.namespace() : null,
                        request)) {
                    owned.put(listed.key() + "|" + namespace(live) + "|" + name(live), live);
                }
                return listed;
            } catch (KubernetesClientException e) {
                if (e.getCode() == 401 || e.getCode() == 403) {
                    // not allowed to list a kind only earlier versions had: nothing of it pruned, the rest goes on
                    LOG.warn("Manifest {}: not allowed to list {} ({}) of an earlier version: its objects are not "
                            + "pruned (grant list on it, or delete them by hand)", request.glob(), listed.kind(),
                            listed.apiVersion());
                    return null;
                }
                if (e.getCode() != 404) {
                    throw e;
                }
                Kind preferred = attempt == 0 ? kinds.preferred(listed.apiVersion(), listed.kind()) : null;
                if (preferred == null || preferred.apiVersion().equals(listed.apiVersion())) {
                    break;
                }
                listed = preferred;
            }
        }
        LOG.info("Manifest {}: kind {} of an earlier version is no longer served ({}): nothing of it to prune",
                request.glob(), kind.kind(), kind.apiVersion());
        return null;
    }

    private static final String CRD_KEY = "apiextensions.k8s.io/CustomResourceDefinition";

    /** The group/kind keys the CustomResourceDefinitions among {@code docs} define, with the versions they serve. */
    private static Map<String, Set<String>> definedByCrds(List<Map<String, Object>> docs) {
        Map<String, Set<String>> defined = new LinkedHashMap<>();
        for (Map<String, Object> doc : docs) {
            if ("CustomResourceDefinition".equals(doc.get("kind"))
                    && Json.at(doc, "spec", "group") instanceof String group
                    && Json.at(doc, "spec", "names", "kind") instanceof String kind) {
                Set<String> versions = defined.computeIfAbsent(group + "/" + kind, k -> new LinkedHashSet<>());
                if (Json.at(doc, "spec", "versions") instanceof List<?> list) {
                    for (Object v : list) {
                        if (v instanceof Map<?, ?> m && m.get("name") != null && !Boolean.FALSE.equals(m.get("served"))) {
                            versions.add(String.valueOf(m.get("name")));
                        }
                    }
                }
            }
        }
        return defined;
    }

    /** The documents of one kind, resolved; the same object twice is refused (its writes would race). */
    private List<Desired> desired(Kind kind, List<Map<String, Object>> docs, Request request) {
        List<Desired> out = new ArrayList<>();
        Set<String> keys = new LinkedHashSet<>();
        for (Map<String, Object> doc : docs) {
            Desired one = desired(kind, doc, request);
            if (!keys.add(one.key())) {
                throw new IllegalArgumentException("Manifest " + request.glob() + ": " + one.where()
                        + " appears twice");
            }
            out.add(one);
        }
        return out;
    }

    private Desired desired(Kind kind, Map<String, Object> doc, Request request) {
        @SuppressWarnings("unchecked")
        Map<String, Object> body = (Map<String, Object>) substitute(Json.copy(doc), request.namespace());
        String name = ManifestYaml.name(body);
        Map<String, Object> metadata = Json.mapIn(body, "metadata");
        String namespace = null;
        if (kind.namespaced()) {
            namespace = ManifestYaml.text(metadata.get("namespace"));
            if (namespace == null) {
                namespace = request.namespace();
                metadata.put("namespace", namespace);
            }
        } else {
            metadata.remove("namespace");
        }
        Map<String, Object> labels = Json.mapIn(metadata, "labels");
        labels.put(OWNER, request.glob());
        labels.put(OWNER_NAMESPACE, request.namespace());
        String version = labels.get(ManifestYaml.VERSION_LABEL) == null ? "1"
                : String.valueOf(labels.get(ManifestYaml.VERSION_LABEL));
        labels.put(ManifestYaml.VERSION_LABEL, version);
        Map<String, Object> annotations = Json.map(metadata, "annotations");
        if (annotations != null) {
            annotations.remove(LAST_APPLIED);
            annotations.remove(LAST_APPLIED_VERSION);
        }
        return new Desired(kind, namespace, name, version, body);
    }

    /** The body to send: {@code desired} with its last-applied record (the body itself, or its version). */
    private Map<String, Object> withLastApplied(Desired desired) {
        @SuppressWarnings("unchecked")
        Map<String, Object> body = (Map<String, Object>) Json.copy(desired.body());
        String record = json.asJson(recordOf(desired));
        Map<String, Object> annotations = Json.mapIn(Json.mapIn(body, "metadata"), "annotations");
        // Kubernetes allows 256 KiB of annotations in all: ours and the manifest's own share 200 KiB
        int others = json.asJson(annotations).getBytes(StandardCharsets.UTF_8).length;
        if (record.getBytes(StandardCharsets.UTF_8).length + others <= LAST_APPLIED_MAX) {
            annotations.put(LAST_APPLIED, record);
            annotations.put(LAST_APPLIED_VERSION, null);
        } else {
            annotations.put(LAST_APPLIED_VERSION, desired.version());
            annotations.put(LAST_APPLIED, null);
        }
        return body;
    }

    /**
     * The last-applied record of {@code desired}: the body itself, except a Secret's values, which are kept as
     * hashes (the three-way merge needs only which keys we applied; annotations are shown by kubectl and dashboards).
     */
    private static Map<String, Object> recordOf(Desired desired) {
        if (!"Secret".equals(desired.kind().kind())) {
            return desired.body();
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> record = (Map<String, Object>) Json.copy(desired.body());
        for (String field : List.of("data", "stringData")) {
            Map<String, Object> values = Json.map(record, field);
            if (values != null) {
                values.replaceAll((k, v) -> v == null ? null : hash(String.valueOf(v)));
            }
        }
        return record;
    }

    private static String hash(String value) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(value.getBytes(StandardCharsets.UTF_8));
            return "sha256:" + java.util.HexFormat.of().formatHex(digest, 0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What we applied last to {@code live}: its annotation, or the version it names found in history. */
    @SuppressWarnings("unchecked")
    private Map<String, Object> lastApplied(Desired desired, Map<String, Object> live, Request request) {
        Map<String, Object> annotations = Json.map(Json.map(live, "metadata"), "annotations");
        if (annotations == null) {
            return null;
        }
        Object record = annotations.get(LAST_APPLIED);
        if (record instanceof String text && !text.isBlank()) {
            try {
                return json.unmarshal(text, Map.class);
            } catch (RuntimeException e) {
                LOG.warn("{}: annotation {} is unreadable; fields removed from the manifest since are left on it",
                        desired.where(), LAST_APPLIED);
                return null;
            }
        }
        Object version = annotations.get(LAST_APPLIED_VERSION);
        if (version != null && history != null) {
            Map<String, Object> doc = history.find(request.glob(), desired.kind().kind(), desired.name(),
                    String.valueOf(version));
            if (doc != null) {
                Map<String, Object> body = (Map<String, Object>) substitute(Json.copy(doc), request.namespace());
                Map<String, Object> metadata = Json.mapIn(body, "metadata");
                if (desired.kind().namespaced() && ManifestYaml.text(metadata.get("namespace")) == null) {
                    metadata.put("namespace", request.namespace());
                } else if (!desired.kind().namespaced()) {
                    metadata.remove("namespace");
                }
                Json.mapIn(metadata, "labels").put(OWNER, request.glob());
                Json.mapIn(metadata, "labels").put(OWNER_NAMESPACE, request.namespace());
                return body;
            }
            LOG.warn("{}: version {} it was last applied from is no longer in the history of {}; fields removed "
                    + "from the manifest since are left on it", desired.where(), version, request.glob());
        }
        return null;
    }

    private Step applyOne(Desired desired, Map<String, Object> live, Request request) throws Exception {
        if (live == null) {
            Map<String, Object> created = create(desired);
            if (created != null) {
                return new Step(Action.CREATE, desired.kind().kind(), desired.namespace(), desired.name(), List.of());
            }
            // it exists (409): ours (someone raced us) or not ours
            live = get(desired);
            if (live == null) {
                throw new IllegalStateException(desired.where() + ": create answered 409 but it cannot be read");
            }
            if (!owns(live, request)) {
                if (!request.adopt()) {
                    reportUnowned(desired, live);
                    return new Step(Action.LEFT_UNOWNED, desired.kind().kind(), desired.namespace(), desired.name(),
                            List.of());
                }
                return patch(desired, live, request, Action.ADOPT);
            }
        }
        if (desired.version().equals(version(live))) {
            return new Step(Action.UNCHANGED, desired.kind().kind(), desired.namespace(), desired.name(), List.of());
        }
        return patch(desired, live, request, Action.UPDATE);
    }

    private Step planOne(Desired desired, Map<String, Object> live, Request request) {
        if (live == null) {
            live = get(desired);
            if (live == null) {
                return new Step(Action.CREATE, desired.kind().kind(), desired.namespace(), desired.name(), List.of());
            }
            if (!owns(live, request)) {
                if (!request.adopt()) {
                    return new Step(Action.LEFT_UNOWNED, desired.kind().kind(), desired.namespace(), desired.name(),
                            List.of());
                }
                return new Step(Action.ADOPT, desired.kind().kind(), desired.namespace(), desired.name(),
                        fields(desired, live, request));
            }
        }
        if (desired.version().equals(version(live))) {
            return new Step(Action.UNCHANGED, desired.kind().kind(), desired.namespace(), desired.name(), List.of());
        }
        return new Step(Action.UPDATE, desired.kind().kind(), desired.namespace(), desired.name(),
                fields(desired, live, request));
    }

    private List<String> fields(Desired desired, Map<String, Object> live, Request request) {
        return visible(MergePatch.diff(lastApplied(desired, live, request), withLastApplied(desired), live), live);
    }

    /** The patch field by field, without our own bookkeeping (the last-applied record is not news). */
    private List<String> visible(Map<String, Object> patch, Map<String, Object> live) {
        @SuppressWarnings("unchecked")
        Map<String, Object> shown = (Map<String, Object>) Json.copy(patch);
        Map<String, Object> metadata = Json.map(shown, "metadata");
        Map<String, Object> annotations = Json.map(metadata, "annotations");
        if (annotations != null) {
            annotations.remove(LAST_APPLIED);
            annotations.remove(LAST_APPLIED_VERSION);
            if (annotations.isEmpty()) {
                metadata.remove("annotations");
            }
        }
        if (metadata != null && metadata.isEmpty()) {
            shown.remove("metadata");
        }
        if ("Secret".equals(Json.at(live, "kind"))) {     // a Secret's values never show
            for (String field : List.of("data", "stringData")) {
                if (Json.map(shown, field) != null) {
                    Json.map(shown, field).replaceAll((k, v) -> v == null ? null : "(secret value)");
                }
            }
            return MergePatch.describe(shown, null, json::asJson);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> maskedShown = (Map<String, Object>) Secrets.mask(shown);
        @SuppressWarnings("unchecked")
        Map<String, Object> maskedLive = (Map<String, Object>) Secrets.mask(live);
        return MergePatch.describe(maskedShown, maskedLive, json::asJson);     // secret keys never show
    }

    private Step patch(Desired desired, Map<String, Object> live, Request request, Action action) throws Exception {
        Map<String, Object> current = live;
        for (int attempt = 1; ; attempt++) {
            // adopting: two-way, nothing removed (what someone else applied there is not ours to take away)
            Map<String, Object> patch = MergePatch.diff(action == Action.ADOPT ? null
                    : lastApplied(desired, current, request), withLastApplied(desired), current);
            List<String> fields = visible(patch, current);
            List<Map<String, Object>> ops = new ArrayList<>(MergePatch.operations(patch, current));
            // the version read: the API server refuses the patch (409) when the object changed since
            ops.add(Map.of("op", "add", "path", "/metadata/resourceVersion",
                    "value", String.valueOf(Json.at(current, "metadata", "resourceVersion"))));
            String body = json.asJson(ops);
            if (!quiet) {
                LOG.info("Patching {} for `{}` with namespace `{}`", desired.kind().kind(), desired.name(),
                        desired.namespace() == null ? "" : desired.namespace());
            }
            try {
                gate.write("patch " + desired.where(), () -> resource(desired.kind(), desired.namespace(),
                        desired.name()).patch(PatchContext.of(PatchType.JSON), body));
                return new Step(action, desired.kind().kind(), desired.namespace(), desired.name(), fields);
            } catch (KubernetesClientException e) {
                if (e.getCode() == 404) {          // deleted meanwhile: create it
                    if (create(desired) != null) {
                        return new Step(Action.CREATE, desired.kind().kind(), desired.namespace(), desired.name(),
                                List.of());
                    }
                } else if ((e.getCode() != 409 && !(e.getCode() == 422 && removes(ops)))
                        || attempt >= CONFLICT_RETRIES) {
                    throw e;
                }
                // 409: changed meanwhile; 422: a path we remove is gone meanwhile: read again and recompute
                current = get(desired);
                if (current == null) {
                    throw new IllegalStateException(desired.where() + " disappeared while it was patched");
                }
                if (action == Action.UPDATE && !owns(current, request)) {
                    reportUnowned(desired, current);
                    return new Step(Action.LEFT_UNOWNED, desired.kind().kind(), desired.namespace(), desired.name(),
                            List.of());
                }
                if (action == Action.UPDATE && desired.version().equals(version(current))) {
                    return new Step(Action.UNCHANGED, desired.kind().kind(), desired.namespace(), desired.name(),
                            List.of());
                }
            }
        }
    }

    /** Creates; null when it already exists (409: decided by the operation, not by the reason). */
    private Map<String, Object> create(Desired desired) throws Exception {
        Map<String, Object> body = withLastApplied(desired);
        dropNulls(Json.map(Json.map(body, "metadata"), "annotations"));
        GenericKubernetesResource resource = json.convertValue(body, GenericKubernetesResource.class);
        if (!quiet) {
            LOG.info("Creating {} for `{}` with namespace `{}`", desired.kind().kind(), desired.name(),
                    desired.namespace() == null ? "" : desired.namespace());
        }
        try {
            GenericKubernetesResource created = gate.write("create " + desired.where(),
                    () -> namespaced(desired.kind(), desired.namespace()).resource(resource).create());
            return created == null ? Map.of() : asMap(created);
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                return null;
            }
            throw e;
        }
    }

    private Step prune(Kind kind, Map<String, Object> live, Request request, boolean write) throws Exception {
        String namespace = namespace(live);
        String name = name(live);
        if (request.protectedKinds().contains(kind.kind()) && !(request.unsafe() && namedBefore(request, kind, name))) {
            if (write) {
                LOG.warn("You don't have permission to delete `{}` for `{}` with namespace `{}`!", kind.kind(), name,
                        namespace == null ? "" : namespace);
            }
            return new Step(Action.KEPT_PROTECTED, kind.kind(), namespace, name, List.of());
        }
        if (write) {
            if (!quiet) {
                LOG.info("Deleting {} for `{}` with namespace `{}`", kind.kind(), name,
                        namespace == null ? "" : namespace);
            }
            gate.write("delete " + kind.kind() + " " + name, () -> resource(kind, namespace, name).delete());
        }
        return new Step(Action.PRUNE, kind.kind(), namespace, name, List.of());
    }

    /**
     * Whether {@code name} of {@code kind} is among the names of earlier versions this version was stored over
     * ({@code __OLD_CONFIG__}): the paraphrase authorises deleting those, never an object a later version added (a
     * rollback to a version stored with the paraphrase deletes no protected object it never saw).
     */
    private static boolean namedBefore(Request request, Kind kind, String name) {
        return request.oldConfig() != null && request.oldConfig().get(kind.kind()) instanceof List<?> names
                && names.stream().anyMatch(n -> name.equals(substitute(String.valueOf(n), request.namespace())));
    }

    private void reportUnowned(Desired desired, Map<String, Object> live) {
        Object owner = Json.at(live, "metadata", "labels", OWNER);
        Object namespace = Json.at(live, "metadata", "labels", OWNER_NAMESPACE);
        LOG.warn("{} exists and is not ours ({}): left unchanged; apply with --adopt to take it over",
                desired.where(), owner == null ? "no " + OWNER + " label"
                        : OWNER + "=" + owner + ", " + OWNER_NAMESPACE + "=" + namespace);
    }

    // ------------------------------------------------------------------ the API server

    private List<Map<String, Object>> listOwned(Kind kind, String namespace, Request request) {
        MixedOperation<GenericKubernetesResource, GenericKubernetesResourceList,
                Resource<GenericKubernetesResource>> op = client.genericKubernetesResources(kind.context());
        GenericKubernetesResourceList list = namespace == null
                ? op.withLabel(OWNER, request.glob()).withLabel(OWNER_NAMESPACE, request.namespace()).list()
                : op.inNamespace(namespace).withLabel(OWNER, request.glob())
                        .withLabel(OWNER_NAMESPACE, request.namespace()).list();
        List<Map<String, Object>> out = new ArrayList<>();
        for (GenericKubernetesResource item : list.getItems()) {
            Map<String, Object> map = asMap(item);
            if (owns(map, request)) {               // the mock may ignore a selector: check it ourselves
                out.add(map);
            }
        }
        return out;
    }

    private Map<String, Object> get(Desired desired) {
        GenericKubernetesResource found = resource(desired.kind(), desired.namespace(), desired.name()).get();
        return found == null ? null : asMap(found);
    }

    private NonNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList,
            Resource<GenericKubernetesResource>> namespaced(Kind kind, String namespace) {
        MixedOperation<GenericKubernetesResource, GenericKubernetesResourceList,
                Resource<GenericKubernetesResource>> op = client.genericKubernetesResources(kind.context());
        return namespace == null ? op : op.inNamespace(namespace);
    }

    private Resource<GenericKubernetesResource> resource(Kind kind, String namespace, String name) {
        return namespaced(kind, namespace).withName(name);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> asMap(GenericKubernetesResource resource) {
        return json.convertValue(resource, Map.class);
    }

    // ------------------------------------------------------------------ helpers

    static boolean owns(Map<String, Object> live, Request request) {
        return request.glob().equals(Json.at(live, "metadata", "labels", OWNER))
                && request.namespace().equals(Json.at(live, "metadata", "labels", OWNER_NAMESPACE));
    }

    static String version(Map<String, Object> live) {
        Object v = Json.at(live, "metadata", "labels", ManifestYaml.VERSION_LABEL);
        return v == null ? "1" : String.valueOf(v);     // the original's default on both sides
    }

    static String name(Map<String, Object> live) {
        Object v = Json.at(live, "metadata", "name");
        return v == null ? null : String.valueOf(v);
    }

    static String namespace(Map<String, Object> live) {
        Object v = Json.at(live, "metadata", "namespace");
        return v == null || String.valueOf(v).isEmpty() ? null : String.valueOf(v);
    }

    /** Numeric versions compare as numbers; anything else by text. */
    static int compare(String a, String b) {
        try {
            return new java.math.BigDecimal(a).compareTo(new java.math.BigDecimal(b));
        } catch (NumberFormatException e) {
            return a.compareTo(b);
        }
    }

    static Object substitute(Object value, String namespace) {
        if (value instanceof String s) {
            return s.contains(NAMESPACE_PLACEHOLDER) ? s.replace(NAMESPACE_PLACEHOLDER, namespace) : s;
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), substitute(v, namespace)));
            return out;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            list.forEach(v -> out.add(substitute(v, namespace)));
            return out;
        }
        return value;
    }

    private static boolean removes(List<Map<String, Object>> ops) {
        return ops.stream().anyMatch(op -> "remove".equals(op.get("op")));
    }

    private static void dropNulls(Map<String, Object> map) {
        if (map != null) {
            map.values().removeIf(v -> v == null);
        }
    }

    private static void awaitAll(List<CompletableFuture<Void>> pending) throws Exception {
        Exception first = null;
        for (CompletableFuture<Void> f : pending) {
            try {
                f.get();
            } catch (ExecutionException e) {
                Throwable cause = e.getCause() instanceof CompletionException c && c.getCause() != null
                        ? c.getCause() : e.getCause();
                if (first == null) {
                    first = cause instanceof Exception ex ? ex : new IllegalStateException(cause);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
