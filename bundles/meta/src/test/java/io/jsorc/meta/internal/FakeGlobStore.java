package io.jsorc.meta.internal;

import io.jsorc.api.config.GlobStore;
import io.jsorc.api.config.GlobValue;
import io.jsorc.api.config.Origin;
import io.jsorc.api.config.StoredGlob;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A map-backed GlobStore for MetaService tests: values are kept as given (no JSON), copied shallowly. */
final class FakeGlobStore implements GlobStore {

    final Map<String, Object> values = new ConcurrentHashMap<>();

    @Override
    public Optional<GlobValue> get(String name) {
        Object value = values.get(name);
        return value == null ? Optional.empty()
                : Optional.of(new GlobValue(new StoredGlob(name, String.valueOf(value), 1, Instant.now(),
                        Origin.local("t", "t")), copy(value)));
    }

    @Override
    public long set(String name, String json, Long expectedRevision, Origin origin) {
        throw new UnsupportedOperationException("tests use setValue");
    }

    @Override
    public long setValue(String name, Object value, Long expectedRevision, Origin origin) {
        values.put(name, value);
        return 1;
    }

    @Override
    public boolean delete(String name, Long expectedRevision, Origin origin) {
        return values.remove(name) != null;
    }

    @Override
    public boolean exists(String name) {
        return values.containsKey(name);
    }

    @Override
    public List<String> list() {
        return new ArrayList<>(values.keySet());
    }

    @Override
    @SuppressWarnings("unchecked")
    public Map<String, Object> serviceGlob(String name, Map<String, ?> defaults, Origin origin) {
        values.putIfAbsent(name, new LinkedHashMap<>(defaults));
        return (Map<String, Object>) copy(values.get(name));
    }

    @Override
    public String toJson(Object value) {
        return String.valueOf(value);
    }

    @Override
    public Object parse(String json) {
        throw new UnsupportedOperationException();
    }

    @SuppressWarnings("unchecked")
    private static Object copy(Object value) {
        return value instanceof Map<?, ?> map ? new LinkedHashMap<>((Map<String, Object>) map) : value;
    }
}
