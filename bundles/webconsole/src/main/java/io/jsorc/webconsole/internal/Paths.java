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
     * from it are removed, the others set (objects merged key by key, so fields nested in them stay).
     */
    @SuppressWarnings("unchecked")
    static void replaceRest(Map<String, Object> target, Map<String, Object> before, Map<String, Object> after) {
        for (Map.Entry<String, Object> old : before.entrySet()) {
            String key = old.getKey();
            if (!after.containsKey(key)) {
                target.remove(key);
            }
        }
        for (Map.Entry<String, Object> now : after.entrySet()) {
            Object current = target.get(now.getKey());
            if (now.getValue() instanceof Map<?, ?> a && current instanceof Map<?, ?> t) {
                Map<String, Object> b = before.get(now.getKey()) instanceof Map<?, ?> o ? (Map<String, Object>) o
                        : Map.of();
                replaceRest((Map<String, Object>) t, b, (Map<String, Object>) a);
            } else {
                target.put(now.getKey(), now.getValue());
            }
        }
    }
}
