package io.jsorc.kube.internal;

import io.jsorc.api.spi.ManifestApplier;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;

/**
 * Manifests from YAML, the original's way ({@code apply_yaml}): multi-document YAML loaded safely and bounded, grouped
 * by kind in insertion order, stamped with label {@code config_version} where missing, the previous version's names
 * kept in {@code __OLD_CONFIG__}. Pure: no I/O, no cluster.
 *
 * <p>Reserved keys of a stored manifest: {@code __OLD_CONFIG__} ({@code {"Kind": [names]}} of previous versions not
 * in this one's kinds' names, the original's), {@code __UNSAFE_PARAPHRASE__} (the original's), and ours:
 * {@code __OLD_API_VERSIONS__} ({@code {"Kind": "apiVersion"}}, so a kind dropped entirely can still be listed and
 * pruned) and {@code __ADOPT__} ({@code true}: this version may take over objects that exist without our owner label).
 */
public final class ManifestYaml {

    static final String OLD_CONFIG = "__OLD_CONFIG__";
    static final String PARAPHRASE = "__UNSAFE_PARAPHRASE__";
    static final String OLD_API_VERSIONS = "__OLD_API_VERSIONS__";
    static final String ADOPT = "__ADOPT__";
    static final String VERSION_LABEL = "config_version";

    /** At most this many characters of YAML (the manifest glob's own limit is 8 MiB of JSON). */
    static final int MAX_CODE_POINTS = 8 * 1024 * 1024;
    /** Aliases per document: a "billion laughs" document is refused, not expanded. */
    static final int MAX_ALIASES = 50;
    /** Nesting depth. */
    static final int MAX_DEPTH = 64;
    /** Documents in one upload. */
    static final int MAX_DOCUMENTS = 10_000;

    private ManifestYaml() {
    }

    /**
     * The documents of {@code yaml}, as JSON-compatible maps (timestamps stay strings, binaries become base64);
     * empty documents skipped.
     *
     * @throws IllegalArgumentException bad YAML, a limit exceeded, a document that is not an object with
     *     {@code apiVersion}, {@code kind} and {@code metadata.name}
     */
    static List<Map<String, Object>> parse(String yaml) {
        if (yaml == null || yaml.isBlank()) {
            throw new IllegalArgumentException("The YAML has no documents");
        }
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(MAX_ALIASES);
        options.setNestingDepthLimit(MAX_DEPTH);
        options.setCodePointLimit(MAX_CODE_POINTS);
        options.setAllowDuplicateKeys(false);
        options.setAllowRecursiveKeys(false);
        Yaml loader = new Yaml(new StringTimestamps(options), new Representer(new DumperOptions()),
                new DumperOptions(), options);
        List<Map<String, Object>> docs = new ArrayList<>();
        int index = 0;
        try {
            for (Object doc : loader.loadAll(yaml)) {
                index++;
                if (doc == null) {
                    continue;
                }
                if (docs.size() >= MAX_DOCUMENTS) {
                    throw new IllegalArgumentException("More than " + MAX_DOCUMENTS + " documents");
                }
                docs.add(document(index, json(doc)));
            }
        } catch (YAMLException e) {
            throw new IllegalArgumentException("Not valid YAML (document " + Math.max(index, 1) + "): "
                    + firstLine(e.getMessage()), e);
        }
        if (docs.isEmpty()) {
            throw new IllegalArgumentException("The YAML has no documents");
        }
        Map<String, Integer> seen = new java.util.HashMap<>();
        for (int i = 0; i < docs.size(); i++) {
            Map<?, ?> doc = docs.get(i);
            Object namespace = doc.get("metadata") instanceof Map<?, ?> m ? m.get("namespace") : null;
            String key = doc.get("apiVersion") + "/" + doc.get("kind") + " " + (namespace == null ? "" : namespace + "/")
                    + name(doc);
            Integer first = seen.putIfAbsent(key, i + 1);
            if (first != null) {
                throw new IllegalArgumentException("Document " + (i + 1) + " (" + doc.get("kind") + " " + name(doc)
                        + ") repeats document " + first);
            }
        }
        return docs;
    }

    /** Fields the API server fills (as {@code kubectl get -o yaml} prints them): never ours to apply. */
    static final List<String> SERVER_FIELDS = List.of("resourceVersion", "uid", "creationTimestamp",
            "managedFields", "generation", "selfLink", "deletionTimestamp", "deletionGracePeriodSeconds");

    /** Checks one document's shape. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> document(int index, Object doc) {
        if (!(doc instanceof Map)) {
            throw new IllegalArgumentException("Document " + index + " is not an object");
        }
        Map<String, Object> map = (Map<String, Object>) doc;
        String kind = text(map.get("kind"));
        if (kind == null) {
            throw new IllegalArgumentException("Document " + index + " has no kind");
        }
        if (kind.startsWith("__")) {
            throw new IllegalArgumentException("Document " + index + ": kind " + kind + " is reserved");
        }
        if (text(map.get("apiVersion")) == null) {
            throw new IllegalArgumentException("Document " + index + " (" + kind + ") has no apiVersion");
        }
        Object metadata = map.get("metadata");
        if (!(metadata instanceof Map) || text(((Map<String, Object>) metadata).get("name")) == null) {
            throw new IllegalArgumentException("Document " + index + " (" + kind + ") has no metadata.name");
        }
        Object labels = ((Map<String, Object>) metadata).get("labels");
        if (labels != null && !(labels instanceof Map)) {
            throw new IllegalArgumentException("Document " + index + " (" + kind + "): metadata.labels is not an object");
        }
        return map;
    }

    /**
     * The manifest to store: {@code docs} grouped by kind (insertion order), {@code config_version} stamped where
     * missing (one version for the whole upload, strictly above every version of {@code previous}), the previous
     * names and API versions, the paraphrase only when exact, {@code __ADOPT__} when asked.
     *
     * @param previous the manifest stored now, or null
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> build(List<Map<String, Object>> docs, Map<String, Object> previous, String paraphrase,
            boolean adopt, Instant now) {
        String version = nextVersion(previous, now);
        Map<String, Object> manifest = new LinkedHashMap<>();
        for (Map<String, Object> doc : docs) {
            Map<String, Object> copy = (Map<String, Object>) Json.copy(doc);
            Map<String, Object> metadata = (Map<String, Object>) copy.get("metadata");
            SERVER_FIELDS.forEach(metadata::remove);      // an export of a live object applies as its spec
            copy.remove("status");
            if (metadata.get("annotations") instanceof Map<?, ?> annotations) {
                // kubectl's own record of an export: a Secret's values in clear, and never ours to apply
                annotations.remove("kubectl.kubernetes.io/last-applied-configuration");
            }
            Map<String, Object> labels = metadata.get("labels") == null ? new LinkedHashMap<>()
                    : (Map<String, Object>) metadata.get("labels");
            Object given = labels.get(VERSION_LABEL);
            if (given == null || String.valueOf(given).isBlank() || Boolean.FALSE.equals(given)) {
                labels.put(VERSION_LABEL, version);          // the original: stamped where falsy
            } else {
                labels.put(VERSION_LABEL, String.valueOf(given));   // a label is a string
            }
            metadata.put("labels", labels);
            ((List<Object>) manifest.computeIfAbsent(text(copy.get("kind")), k -> new ArrayList<>())).add(copy);
        }
        if (previous != null) {
            Map<String, Object> oldNames = new LinkedHashMap<>();
            Map<String, Object> oldApis = new LinkedHashMap<>();
            for (Map.Entry<String, Object> kind : previous.entrySet()) {
                if (kind.getKey().startsWith("__") || !(kind.getValue() instanceof List<?> list)) {
                    continue;           // reserved keys are not kinds (the original's defect 3)
                }
                Set<String> names = new LinkedHashSet<>();
                for (Object doc : list) {
                    if (doc instanceof Map<?, ?> d) {
                        String name = name(d);
                        if (name != null) {
                            names.add(name);
                        }
                        if (text(d.get("apiVersion")) != null) {
                            oldApis.putIfAbsent(kind.getKey(), text(d.get("apiVersion")));
                        }
                    }
                }
                oldNames.put(kind.getKey(), new ArrayList<>(names));
            }
            // kinds of older versions stay listed, so what was never pruned is found (and pruned) later
            if (previous.get(OLD_CONFIG) instanceof Map<?, ?> older) {
                for (Map.Entry<?, ?> kind : older.entrySet()) {
                    String key = String.valueOf(kind.getKey());
                    List<Object> names = (List<Object>) oldNames.computeIfAbsent(key, k -> new ArrayList<>());
                    if (kind.getValue() instanceof List<?> list) {
                        for (Object n : list) {
                            if (!names.contains(n)) {
                                names.add(n);
                            }
                        }
                    }
                }
            }
            if (previous.get(OLD_API_VERSIONS) instanceof Map<?, ?> older) {
                older.forEach((k, v) -> oldApis.putIfAbsent(String.valueOf(k), v));
            }
            manifest.put(OLD_CONFIG, oldNames);
            manifest.put(OLD_API_VERSIONS, oldApis);
        }
        if (ManifestApplier.UNSAFE_PARAPHRASE.equals(paraphrase)) {
            manifest.put(PARAPHRASE, paraphrase);             // also on the first apply (the original's defect 4)
        }
        if (adopt) {
            manifest.put(ADOPT, true);
        }
        return manifest;
    }

    /** {@code epochSeconds.micros}, strictly above every version in {@code previous}. */
    static String nextVersion(Map<String, Object> previous, Instant now) {
        BigDecimal stamp = new BigDecimal(now.getEpochSecond()).add(
                new BigDecimal(now.getNano() / 1000).movePointLeft(6));
        BigDecimal highest = highestVersion(previous);
        if (highest != null && stamp.compareTo(highest) <= 0) {
            stamp = highest.setScale(6, java.math.RoundingMode.FLOOR).add(new BigDecimal("0.000001"));
        }
        return stamp.setScale(6, java.math.RoundingMode.FLOOR).toPlainString();
    }

    /** The highest numeric {@code config_version} in a manifest, or null. */
    public static BigDecimal highestVersion(Map<String, Object> manifest) {
        BigDecimal highest = null;
        if (manifest == null) {
            return null;
        }
        for (Map.Entry<String, Object> kind : manifest.entrySet()) {
            if (kind.getKey().startsWith("__") || !(kind.getValue() instanceof List<?> list)) {
                continue;
            }
            for (Object doc : list) {
                String v = version(doc);
                if (v != null) {
                    try {
                        BigDecimal d = new BigDecimal(v);
                        highest = highest == null || d.compareTo(highest) > 0 ? d : highest;
                    } catch (NumberFormatException e) {
                        // a user's own version that is not a number: not ordered
                    }
                }
            }
        }
        return highest;
    }

    /** The documents of a stored manifest, in order (reserved keys skipped). */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> documents(Map<String, Object> manifest) {
        List<Map<String, Object>> docs = new ArrayList<>();
        for (Map.Entry<String, Object> kind : manifest.entrySet()) {
            if (kind.getKey().startsWith("__")) {
                continue;
            }
            if (!(kind.getValue() instanceof List<?> list)) {
                throw new IllegalArgumentException("Kind " + kind.getKey() + " is not a list of documents");
            }
            for (Object doc : list) {
                if (!(doc instanceof Map)) {
                    throw new IllegalArgumentException("A document of kind " + kind.getKey() + " is not an object");
                }
                docs.add((Map<String, Object>) doc);
            }
        }
        return docs;
    }

    static String version(Object doc) {
        if (doc instanceof Map<?, ?> d && d.get("metadata") instanceof Map<?, ?> m
                && m.get("labels") instanceof Map<?, ?> labels && labels.get(VERSION_LABEL) != null) {
            return String.valueOf(labels.get(VERSION_LABEL));
        }
        return null;
    }

    static String name(Map<?, ?> doc) {
        return doc.get("metadata") instanceof Map<?, ?> m ? text(m.get("name")) : null;
    }

    static String text(Object value) {
        return value instanceof String s && !s.isBlank() ? s : null;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int nl = message.indexOf('\n');
        return (nl < 0 ? message : message.substring(0, nl)).trim();
    }

    /** SnakeYAML values as JSON values: string keys, timestamps as written, binaries as base64. */
    private static Object json(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), json(v)));
            return out;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            list.forEach(v -> out.add(json(v)));
            return out;
        }
        if (value instanceof Set<?> set) {
            List<Object> out = new ArrayList<>(set.size());
            set.forEach(v -> out.add(json(v)));
            return out;
        }
        if (value instanceof byte[] bytes) {
            return Base64.getEncoder().encodeToString(bytes);
        }
        return value;
    }

    /** Timestamps stay the text written (Kubernetes reads YAML that way). */
    private static final class StringTimestamps extends SafeConstructor {
        StringTimestamps(LoaderOptions options) {
            super(options);
            this.yamlConstructors.put(Tag.TIMESTAMP, new ConstructYamlStr() {
                @Override
                public Object construct(Node node) {
                    return ((ScalarNode) node).getValue();
                }
            });
        }
    }
}
