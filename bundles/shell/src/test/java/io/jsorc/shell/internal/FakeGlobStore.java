package io.jsorc.shell.internal;

import io.jsorc.api.config.GlobStore;
import io.jsorc.api.config.GlobValue;
import io.jsorc.api.config.Origin;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A GlobStore that only lists names (all the completer uses). */
record FakeGlobStore(List<String> names) implements GlobStore {

    @Override
    public List<String> list() {
        return names;
    }

    @Override
    public boolean exists(String name) {
        return names.contains(name);
    }

    @Override
    public Optional<GlobValue> get(String name) {
        throw new UnsupportedOperationException();
    }

    @Override
    public long set(String name, String json, Long expectedRevision, Origin origin) {
        throw new UnsupportedOperationException();
    }

    @Override
    public long setValue(String name, Object value, Long expectedRevision, Origin origin) {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean delete(String name, Long expectedRevision, Origin origin) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Map<String, Object> serviceGlob(String name, Map<String, ?> defaults, Origin origin) {
        throw new UnsupportedOperationException();
    }

    @Override
    public String toJson(Object value) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Object parse(String json) {
        throw new UnsupportedOperationException();
    }
}
