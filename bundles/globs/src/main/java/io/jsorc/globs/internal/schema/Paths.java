package io.jsorc.globs.internal.schema;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Dotted field ids into a nested JSON object, the way a flat MetaType OCD names nested values:
 * {@code kubernetes.in_cluster} is {@code {"kubernetes": {"in_cluster": …}}}. A key that itself holds a dot is
 * found too: a literal key wins over a path.
 *
 * <p>Thread-safety: stateless; the maps are the caller's.
 */
public final class Paths {

    private Paths() {
    }

    /** The value at {@code id} (present with a null value: {@code Optional.of(NULL)}); empty when absent. */
    public static Optional<Object> get(Map<?, ?> root, String id) {
        if (root.containsKey(id)) {
            return Optional.of(wrap(root.get(id)));
        }
        for (int dot = id.indexOf('.'); dot > 0; dot = id.indexOf('.', dot + 1)) {
            if (root.get(id.substring(0, dot)) instanceof Map<?, ?> inner) {
                Optional<Object> found = get(inner, id.substring(dot + 1));
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        return Optional.empty();
    }

    /** The value itself of a {@link #get} result. */
    public static Object value(Object found) {
        return found == NULL ? null : found;
    }

    /** Sets the value at {@code id}, making the objects on the way where they are missing (or not objects). */
    @SuppressWarnings("unchecked")
    public static void put(Map<String, Object> root, String id, Object value) {
        if (root.containsKey(id) || id.indexOf('.') <= 0) {
            root.put(id, value);
            return;
        }
        for (int dot = id.indexOf('.'); dot > 0; dot = id.indexOf('.', dot + 1)) {
            if (root.get(id.substring(0, dot)) instanceof Map<?, ?> inner && get(inner, id.substring(dot + 1))
                    .isPresent()) {
                put((Map<String, Object>) inner, id.substring(dot + 1), value);
                return;
            }
        }
        int dot = id.indexOf('.');
        String head = id.substring(0, dot);
        Map<String, Object> inner = root.get(head) instanceof Map<?, ?> existing ? (Map<String, Object>) existing
                : new LinkedHashMap<>();
        root.put(head, inner);
        put(inner, id.substring(dot + 1), value);
    }

    /** Stands for a null found at a path, so that "present and null" differs from "absent". */
    static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };

    private static Object wrap(Object value) {
        return value == null ? NULL : value;
    }
}
