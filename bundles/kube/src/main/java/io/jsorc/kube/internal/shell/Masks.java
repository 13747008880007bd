package io.jsorc.kube.internal.shell;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Secret documents shown without their values. */
final class Masks {

    static final String MASK = "****";

    private Masks() {
    }

    static Object secrets(Object manifest) {
        if (!(manifest instanceof Map<?, ?> map)) {
            return manifest;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        map.forEach((kind, docs) -> {
            if ("Secret".equals(kind) && docs instanceof List<?> list) {
                List<Object> masked = new ArrayList<>();
                for (Object doc : list) {
                    masked.add(doc instanceof Map<?, ?> d ? mask(d) : doc);
                }
                out.put("Secret", masked);
            } else {
                out.put(String.valueOf(kind), docs);
            }
        });
        return out;
    }

    private static Map<String, Object> mask(Map<?, ?> doc) {
        Map<String, Object> out = new LinkedHashMap<>();
        doc.forEach((k, v) -> {
            if (("data".equals(k) || "stringData".equals(k)) && v instanceof Map<?, ?> values) {
                Map<String, Object> hidden = new LinkedHashMap<>();
                values.keySet().forEach(key -> hidden.put(String.valueOf(key), MASK));
                out.put(String.valueOf(k), hidden);
            } else {
                out.put(String.valueOf(k), v);
            }
        });
        return out;
    }
}
