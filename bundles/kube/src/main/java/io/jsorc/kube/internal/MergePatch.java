package io.jsorc.kube.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The three-way JSON merge patch (RFC 7386) from what we applied last, what we want now and what is live, the way
 * {@code kubectl apply} computes its patch (without strategic merge, which the mock server and many aggregated APIs
 * lack):
 * <ul>
 *   <li>a key we want whose live value differs is set (objects are merged key by key, lists and scalars replaced
 *       whole: JSON merge patch has no list merge);</li>
 *   <li>a key we applied last time and no longer want is removed ({@code null}), if it is still there;</li>
 *   <li>a key we never applied (set by a controller, an operator, a webhook) is left alone.</li>
 * </ul>
 */
final class MergePatch {

    private MergePatch() {
    }

    /** The patch; empty when live already matches what we want. {@code last} may be null (nothing known). */
    static Map<String, Object> diff(Map<String, Object> last, Map<String, Object> desired, Map<String, Object> live) {
        Map<String, Object> patch = new LinkedHashMap<>();
        Map<String, Object> before = last == null ? Map.of() : last;
        Map<String, Object> now = live == null ? Map.of() : live;
        for (Map.Entry<String, Object> want : desired.entrySet()) {
            String key = want.getKey();
            Object value = want.getValue();
            Object current = now.get(key);
            if (value == null) {
                if (now.containsKey(key) && current != null) {
                    patch.put(key, null);
                }
                continue;
            }
            if (value instanceof Map<?, ?> && current instanceof Map<?, ?>) {
                Map<String, Object> child = diff(Json.map(before, key), Json.map(desired, key), Json.map(now, key));
                if (!child.isEmpty()) {
                    patch.put(key, child);
                }
            } else if (!now.containsKey(key) || !Json.same(value, current)) {
                patch.put(key, Json.copy(value));
            }
        }
        for (String key : before.keySet()) {
            if (!desired.containsKey(key) && now.containsKey(key) && now.get(key) != null) {
                patch.put(key, null);
            }
        }
        return patch;
    }

    /**
     * The same change as RFC 6902 JSON Patch operations on {@code live}: {@code add} (which replaces a member) for a
     * value set, {@code remove} for a {@code null}, objects walked into where live has an object. Sent instead of
     * the merge patch itself because it is exact everywhere: the fabric8 mock server appends lists and keeps
     * {@code null}s when it merges, which a real API server does not.
     */
    static List<Map<String, Object>> operations(Map<String, Object> patch, Map<String, Object> live) {
        List<Map<String, Object>> ops = new ArrayList<>();
        operations("", patch, live, ops);
        return ops;
    }

    private static void operations(String prefix, Map<String, Object> patch, Map<String, Object> live,
            List<Map<String, Object>> ops) {
        for (Map.Entry<String, Object> e : patch.entrySet()) {
            String path = prefix + "/" + e.getKey().replace("~", "~0").replace("/", "~1");
            Object current = live == null ? null : live.get(e.getKey());
            if (e.getValue() == null) {
                if (live != null && live.containsKey(e.getKey())) {
                    ops.add(op("remove", path, null));
                }
            } else if (e.getValue() instanceof Map<?, ?> && current instanceof Map<?, ?>) {
                operations(path, Json.map(patch, e.getKey()), Json.map(live, e.getKey()), ops);
            } else {
                ops.add(op("add", path, e.getValue()));
            }
        }
    }

    private static Map<String, Object> op(String op, String path, Object value) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("op", op);
        out.put("path", path);
        if (!"remove".equals(op)) {
            out.put("value", value);
        }
        return out;
    }

    /**
     * The patch field by field, for the plan: {@code path: live → wanted} (lists and objects set whole shown as
     * JSON), {@code path: removed}.
     */
    static List<String> describe(Map<String, Object> patch, Map<String, Object> live, Json.Writer writer) {
        List<String> lines = new ArrayList<>();
        describe("", patch, live, writer, lines);
        return lines;
    }

    private static void describe(String prefix, Map<String, Object> patch, Map<String, Object> live,
            Json.Writer writer, List<String> lines) {
        for (Map.Entry<String, Object> e : patch.entrySet()) {
            String path = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            Object current = live == null ? null : live.get(e.getKey());
            if (e.getValue() == null) {
                lines.add(path + ": removed (was " + writer.write(current) + ")");
            } else if (e.getValue() instanceof Map<?, ?> && current instanceof Map<?, ?>) {
                describe(path, Json.map(patch, e.getKey()), Json.map(live, e.getKey()), writer, lines);
            } else {
                lines.add(path + ": " + (live == null || !live.containsKey(e.getKey()) ? "(absent)"
                        : writer.write(current)) + " → " + writer.write(e.getValue()));
            }
        }
    }
}
