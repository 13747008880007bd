package io.jsorc.globs.internal.glob;

import java.util.Map;

/**
 * The merge of {@code serviceGlob}: keys present in the defaults but missing from the stored object are added,
 * recursively into nested objects; lists are never merged into and stored values are never overwritten.
 *
 * <p>Thread-safety: stateless; the caller owns the maps.
 */
final class DefaultsMerge {

    private DefaultsMerge() {
    }

    /**
     * Adds to {@code target} (mutated) the keys of {@code defaults} it lacks.
     *
     * @return true when something was added
     */
    @SuppressWarnings("unchecked")
    static boolean addMissing(Map<String, Object> target, Map<String, ?> defaults) {
        boolean added = false;
        for (Map.Entry<String, ?> e : defaults.entrySet()) {
            String key = e.getKey();
            Object def = e.getValue();
            if (!target.containsKey(key)) {
                target.put(key, io.jsorc.globs.internal.json.Json.copy(def));
                added = true;
            } else if (target.get(key) instanceof Map<?, ?> stored && def instanceof Map<?, ?> nested) {
                added |= addMissing((Map<String, Object>) stored, (Map<String, ?>) nested);
            }
        }
        return added;
    }
}
