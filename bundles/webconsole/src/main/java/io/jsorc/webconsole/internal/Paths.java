package io.jsorc.webconsole.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Dotted field ids into a glob's nested JSON object, as the glob store reads them (a literal key first, then a path:
 * {@code kubernetes.config} is {@code {"kubernetes": {"config": …}}}).
 *
 * <p>Thread-safety: stateless; the maps are the caller's.
 */
final class Paths {

    /** Stands for a null found at a path ("present and null" is not "absent"). */
    private static final Object NULL = new Object();

    private Paths() {
    }

    /** What is at {@code id} ({@link #value} unwraps it), or null when absent. */
    static Object get(Map<?, ?> root, String id) {
        if (root.containsKey(id)) {
            return root.get(id) == null ? NULL : root.get(id);
        }
        for (int dot = id.indexOf('.'); dot > 0; dot = id.indexOf('.', dot + 1)) {
            if (root.get(id.substring(0, dot)) instanceof Map<?, ?> inner) {
                Object found = get(inner, id.substring(dot + 1));
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    static Object value(Object found) {
        return found == NULL ? null : found;
    }

    /** Sets the value at {@code id} where {@link #get} finds it, else as a new nested key. */
    @SuppressWarnings("unchecked")
    static void put(Map<?, ?> root, String id, Object value) {
        Map<String, Object> map = (Map<String, Object>) root;
        if (map.containsKey(id) || id.indexOf('.') <= 0) {
            map.put(id, value);
            return;
        }
        for (int dot = id.indexOf('.'); dot > 0; dot = id.indexOf('.', dot + 1)) {
            if (map.get(id.substring(0, dot)) instanceof Map<?, ?> inner && get(inner, id.substring(dot + 1)) != null) {
                put(inner, id.substring(dot + 1), value);
                return;
            }
        }
        int dot = id.indexOf('.');
        Object inner = map.get(id.substring(0, dot));
        if (!(inner instanceof Map)) {
            inner = new LinkedHashMap<String, Object>();
            map.put(id.substring(0, dot), inner);
        }
        put((Map<?, ?>) inner, id.substring(dot + 1), value);
    }

    /** Removes the value at {@code id}, and the objects on its path it leaves empty. */
    static void remove(Map<?, ?> root, String id) {
        if (root.containsKey(id)) {
            root.remove(id);
            return;
        }
        for (int dot = id.indexOf('.'); dot > 0; dot = id.indexOf('.', dot + 1)) {
            String head = id.substring(0, dot);
            if (root.get(head) instanceof Map<?, ?> inner && get(inner, id.substring(dot + 1)) != null) {
                remove(inner, id.substring(dot + 1));
                if (inner.isEmpty()) {
                    root.remove(head);
                }
                return;
            }
        }
    }

    /**
     * Replaces in {@code target} what was {@code before} (the keys a form does not cover) by {@code after}: keys gone
     * from it are removed — an object that also holds form fields only loses its other keys — and the others set
     * (objects merged key by key, so the fields nested in them stay).
     *
     * @param fields the form's field ids (dotted paths from the glob's root)
     * @param prefix the path of {@code target} from the root ("" or "db.")
     * @throws IllegalArgumentException when {@code after} puts a value that is not an object where form fields live
     */
    @SuppressWarnings("unchecked")
    static void replaceRest(Map<String, Object> target, Map<String, Object> before, Map<String, Object> after,
            java.util.List<String> fields, String prefix) {
        for (Map.Entry<String, Object> old : before.entrySet()) {
            String key = old.getKey();
            if (!after.containsKey(key)) {
                if (holdsFields(fields, prefix + key) && target.get(key) instanceof Map<?, ?> t
                        && old.getValue() instanceof Map<?, ?> o) {
                    replaceRest((Map<String, Object>) t, (Map<String, Object>) o, Map.of(), fields, prefix + key + ".");
                } else {
                    target.remove(key);
                }
            }
        }
        for (Map.Entry<String, Object> now : after.entrySet()) {
            String key = now.getKey();
            Object current = target.get(key);
            if (now.getValue() instanceof Map<?, ?> a && current instanceof Map<?, ?> t) {
                Map<String, Object> b = before.get(key) instanceof Map<?, ?> o ? (Map<String, Object>) o : Map.of();
                replaceRest((Map<String, Object>) t, b, (Map<String, Object>) a, fields, prefix + key + ".");
            } else if (current instanceof Map && holdsFields(fields, prefix + key)) {
                throw new IllegalArgumentException("Other keys: " + prefix + key + " holds fields of the form; "
                        + "it stays an object (edit its fields in the form)");
            } else {
                target.put(key, now.getValue());
            }
        }
    }

    private static boolean holdsFields(java.util.List<String> fields, String path) {
        return fields.stream().anyMatch(id -> id.startsWith(path + "."));
    }
}
