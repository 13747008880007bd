package io.jsorc.shell.internal;

import io.jsorc.api.config.ConfigApi;
import io.jsorc.api.config.GlobException;
import io.jsorc.api.config.GlobException.Reason;
import io.jsorc.api.config.Origin;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A ConfigApi over a map, with the original's texts. Keeps each name's revision and the origin of the last
 * write so tests can check what a command passed.
 */
final class FakeConfigApi implements ConfigApi {

    final TreeSet<String> index = new TreeSet<>(List.of("META_CONFIG", "STRIPE_CONFIG"));
    final TreeMap<String, String> stored = new TreeMap<>();
    final Map<String, Long> revisions = new LinkedHashMap<>();
    Origin lastOrigin;

    FakeConfigApi with(String name, String json) {
        stored.put(name, json);
        revisions.merge(name, 1L, Long::sum);
        return this;
    }

    private void check(String name, boolean doCheck) {
        if (doCheck && !index.contains(name)) {
            throw new GlobException(Reason.NOT_RECOGNIZED,
                    "Config " + name + " not recognized, must be in " + new ArrayList<>(index) + "!");
        }
    }

    @Override
    public String configGet(String name, boolean doCheck) {
        check(name, doCheck);
        return stored.get(name);
    }

    @Override
    public String configSet(String name, String json, boolean doCheck, Long expectedRevision, Origin origin) {
        check(name, doCheck);
        if (!json.startsWith("{") && !json.startsWith("[") && !json.startsWith("\"")) {
            throw new GlobException(Reason.INVALID_VALUE, "Invalid JSON: " + json);
        }
        long current = revisions.getOrDefault(name, 0L);
        if (expectedRevision != null && expectedRevision != current) {
            throw new GlobException(Reason.STALE_REVISION,
                    name + " is at revision " + current + ", not " + expectedRevision);
        }
        lastOrigin = origin;
        with(name, json);
        return "Config of '" + name + "' to '" + json + "' set!";
    }

    @Override
    public List<String> configList() {
        List<String> names = new ArrayList<>(stored.keySet());
        names.retainAll(index);
        return names;
    }

    @Override
    public List<String> configIndex() {
        return new ArrayList<>(index);
    }

    @Override
    public boolean configExists(String name) {
        return stored.containsKey(name);
    }

    @Override
    public String configDelete(String name, boolean doCheck, Origin origin) {
        check(name, doCheck);
        lastOrigin = origin;
        stored.remove(name);
        return name + " Deleted.";
    }
}
