package io.jsorc.kube.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MergePatchTest {

    @Test
    void setsWhatDiffersRemovesWhatWeDroppedAndLeavesOthersFields() {
        Map<String, Object> last = Map.of("spec", Map.of("a", 1, "b", 2, "list", List.of(1, 2)));
        Map<String, Object> desired = Map.of("spec", Map.of("a", 1L, "list", List.of(1)));
        Map<String, Object> live = Map.of("spec", Map.of("a", 1.0, "b", 2, "c", "theirs", "list", List.of(1, 2)),
                "status", Map.of("x", 1));

        Map<String, Object> patch = MergePatch.diff(last, desired, live);

        Map<String, Object> spec = new HashMap<>();
        spec.put("b", null);
        spec.put("list", List.of(1));
        assertEquals(Map.of("spec", spec), patch, "numbers compare by value, c and status untouched");
    }

    @Test
    void nothingToDoIsAnEmptyPatch() {
        Map<String, Object> desired = Map.of("data", Map.of("k", "v"));
        assertTrue(MergePatch.diff(desired, desired, Map.of("data", Map.of("k", "v"), "extra", 1)).isEmpty());
    }

    @Test
    void withoutALastAppliedNothingIsRemoved() {
        assertTrue(MergePatch.diff(null, Map.of("a", 1), Map.of("a", 1, "b", 2)).isEmpty());
    }

    @Test
    void operationsAreExactJsonPatchWithEscapedPaths() {
        Map<String, Object> patch = new HashMap<>();
        patch.put("metadata", Map.of("labels", Map.of("jsorc.io/owner", "X")));
        Map<String, Object> spec = new HashMap<>();
        spec.put("gone", null);
        spec.put("list", List.of(1));
        patch.put("spec", spec);
        Map<String, Object> live = Map.of("metadata", Map.of("labels", Map.of()), "spec", Map.of("gone", 1,
                "list", List.of(1, 2)));

        List<Map<String, Object>> ops = MergePatch.operations(patch, live);

        assertTrue(ops.contains(Map.of("op", "add", "path", "/metadata/labels/jsorc.io~1owner", "value", "X")), ops.toString());
        assertTrue(ops.contains(Map.of("op", "remove", "path", "/spec/gone")), ops.toString());
        assertTrue(ops.contains(Map.of("op", "add", "path", "/spec/list", "value", List.of(1))), ops.toString());
        assertEquals(3, ops.size());
    }

    @Test
    void theDescriptionIsFieldByField() {
        Map<String, Object> patch = new HashMap<>();
        Map<String, Object> data = new HashMap<>();
        data.put("a", "2");
        data.put("b", null);
        patch.put("data", data);
        List<String> lines = MergePatch.describe(patch, Map.of("data", Map.of("a", "1", "b", "x")), v -> v == null
                ? "null" : "\"" + v + "\"");
        assertTrue(lines.contains("data.a: \"1\" → \"2\""), lines.toString());
        assertTrue(lines.contains("data.b: removed (was \"x\")"), lines.toString());
    }
}
