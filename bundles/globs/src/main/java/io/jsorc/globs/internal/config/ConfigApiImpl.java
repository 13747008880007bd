package io.jsorc.globs.internal.config;

import io.jsorc.api.CommonService;
import io.jsorc.api.ServiceProperties;
import io.jsorc.api.config.ConfigApi;
import io.jsorc.api.config.ConfigResult;
import io.jsorc.api.config.GlobException;
import io.jsorc.api.config.GlobException.Reason;
import io.jsorc.api.config.GlobStore;
import io.jsorc.api.config.GlobValue;
import io.jsorc.api.config.Origin;
import io.jsorc.api.config.Secrets;
import io.jsorc.globs.internal.json.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * The original's admin config API over the glob store. Valid names are the config globs declared by the
 * {@code CommonService} registrations in the service registry (the one list of services) plus {@code META_CONFIG};
 * with {@code doCheck} any other name is refused with the original's text. {@code configSet} only stores: applying a
 * change is {@code MetaService.refresh}'s job.
 *
 * <p>Thread-safety: every method is thread-safe.
 */
@Component(service = ConfigApi.class)
public final class ConfigApiImpl implements ConfigApi {

    private final GlobStore store;
    /** {@code service.id} → the config glob that registration declares. */
    private final Map<Object, String> declared = new ConcurrentHashMap<>();

    @Activate
    public ConfigApiImpl(@Reference GlobStore store) {
        this.store = store;
    }

    /** A service registration arrived (only its properties are read; the service object is never taken). */
    @Reference(service = CommonService.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, target = "(" + ServiceProperties.SERVICE_NAME + "=*)")
    public void addService(Map<String, Object> properties) {
        Object name = properties.get(ServiceProperties.SERVICE_NAME);
        Object config = properties.get(ServiceProperties.SERVICE_CONFIG);
        if (name instanceof String service) {
            declared.put(properties.get(Constants.SERVICE_ID), config instanceof String glob && !glob.isBlank()
                    ? glob : ServiceProperties.defaultConfigName(service));
        }
    }

    public void removeService(Map<String, Object> properties) {
        declared.remove(properties.get(Constants.SERVICE_ID));
    }

    @Override
    public Optional<GlobValue> configGet(String name, boolean doCheck) {
        check(name, doCheck);
        return store.get(name);
    }

    @Override
    public ConfigResult configSet(String name, String json, boolean doCheck, Long expectedRevision, Origin origin) {
        check(name, doCheck);
        if (json == null || !json.contains(Secrets.MASK)) {
            return setResult(name, json, store.set(name, json, expectedRevision, origin));
        }
        return setKeepingSecrets(name, json, expectedRevision, origin);
    }

    /** The answer of a write, showing the value written (masked), not whatever is stored a moment later. */
    private ConfigResult setResult(String name, String written, long revision) {
        String shown = Secrets.maskedJson(name, Json.parse(written));
        return ConfigResult.of(name, "Config of '" + name + "' to '" + Echo.abbreviate(shown) + "' set!"
                + pending(name, revision), revision);
    }

    /** With a shared store: committed there, but this node's local copy failed (it resyncs). */
    private String pending(String name, long revision) {
        return store instanceof io.jsorc.globs.internal.glob.GlobStoreImpl impl && impl.localCopyPending(name, revision)
                ? " (committed to the shared store; this node's local copy is pending: it resyncs)" : "";
    }

    /**
     * The field is set on the value read and stored at that value's revision (or the caller's), so a concurrent
     * change of another field is never reverted: without an expected revision the update is retried on the newer
     * value.
     */
    @Override
    public ConfigResult configUpdate(String name, String fieldKey, String fieldValueJson, boolean doCheck,
            Long expectedRevision, Origin origin) {
        check(name, doCheck);
        Object fieldValue;
        try {
            fieldValue = Json.parse(fieldValueJson);
        } catch (IllegalArgumentException e) {
            throw new GlobException(Reason.INVALID_VALUE, "The new value of " + fieldKey + " in " + name
                    + " is not JSON text: " + e.getMessage());
        }
        for (int attempt = 1; ; attempt++) {
            Optional<GlobValue> stored = store.get(name);
            if (stored.isEmpty() || !(stored.get().value() instanceof Map<?, ?> map)) {
                throw new GlobException(Reason.INVALID_VALUE, "Config " + name
                        + " is not a dictionary. Uses config_set to set the value for this config.");
            }
            if (!map.containsKey(fieldKey)) {
                throw new GlobException(Reason.INVALID_VALUE, "Field " + fieldKey + " does not exist in config " + name);
            }
            Map<Object, Object> updated = new LinkedHashMap<>(map);
            updated.put(fieldKey, fieldValue);
            Object merged;
            try {
                merged = Secrets.keepMasked(name, updated, map);
            } catch (IllegalArgumentException unmatched) {
                throw new GlobException(Reason.INVALID_VALUE, unmatched.getMessage());
            }
            long basis = expectedRevision != null ? expectedRevision : stored.get().revision();
            String written = Json.write(merged);
            try {
                return setResult(name, written, store.set(name, written, basis, origin));
            } catch (GlobException e) {
                if (expectedRevision != null || e.reason() != Reason.STALE_REVISION || attempt == 3) {
                    throw e;
                }
            }
        }
    }

    /**
     * An editor that read masked values may send {@link Secrets#MASK} back: the stored secret is kept there
     * ({@link Secrets#keepMasked}); a mask that stands for nothing stored is refused. The value is merged with the
     * revision it was merged from, so a secret rotated meanwhile is never reverted (without an expected revision
     * the merge is retried on the newer value). Text that is not JSON goes on unchanged, for the store to refuse.
     */
    private ConfigResult setKeepingSecrets(String name, String json, Long expectedRevision, Origin origin) {
        Object incoming;
        try {
            incoming = Json.parse(json);
        } catch (IllegalArgumentException notJson) {
            return setResult(name, json, store.set(name, json, expectedRevision, origin));
        }
        for (int attempt = 1; ; attempt++) {
            Optional<GlobValue> stored = store.get(name);
            Object merged;
            try {
                merged = Secrets.keepMasked(name, incoming, stored.map(GlobValue::value).orElse(null));
            } catch (IllegalArgumentException unmatched) {
                throw new GlobException(Reason.INVALID_VALUE, unmatched.getMessage());
            }
            long basis = stored.map(GlobValue::revision).orElse(0L);
            String written = Json.write(merged);
            try {
                return setResult(name, written, store.set(name, written, expectedRevision != null ? expectedRevision
                        : basis, origin));
            } catch (GlobException e) {
                if (expectedRevision != null || e.reason() != Reason.STALE_REVISION || attempt == 3) {
                    throw e;
                }
            }
        }
    }

    @Override
    public List<String> configList() {
        Set<String> valid = validNames();
        return store.list().stream().filter(valid::contains).sorted().collect(Collectors.toList());
    }

    @Override
    public List<String> configIndex() {
        return List.copyOf(validNames());
    }

    @Override
    public boolean configExists(String name) {
        return store.exists(name);
    }

    @Override
    public ConfigResult configDelete(String name, boolean doCheck, Long expectedRevision, Origin origin) {
        check(name, doCheck);
        return ConfigResult.of(name, name + " Deleted.", store.delete(name, expectedRevision, origin));
    }

    @Override
    public List<io.jsorc.api.config.StoredGlob> configHistory(String name, boolean doCheck) {
        check(name, doCheck);
        return store.history(name);
    }

    @Override
    public ConfigResult configRollback(String name, long revision, boolean doCheck, Long expectedRevision,
            Origin origin) {
        check(name, doCheck);
        List<io.jsorc.api.config.StoredGlob> kept = store.history(name);
        io.jsorc.api.config.StoredGlob target = kept.stream().filter(g -> g.revision() == revision).findFirst()
                .orElseThrow(() -> new GlobException(Reason.INVALID_VALUE, "Revision " + revision + " of " + name
                        + " is not kept on this node; kept: " + kept.stream().map(g -> g.revision()).toList()));
        // without an expected revision: last writer wins, as config_set (and it works when the stored value is broken)
        long now = store.set(name, target.json(), expectedRevision, origin);
        return ConfigResult.of(name, "Config of '" + name + "' rolled back to revision " + revision + ": now revision "
                + now + pending(name, now), now);
    }

    private TreeSet<String> validNames() {
        TreeSet<String> names = new TreeSet<>(declared.values());
        names.add(ServiceProperties.META_CONFIG);
        return names;
    }

    private void check(String name, boolean doCheck) {
        if (!doCheck) {
            return;
        }
        TreeSet<String> valid = validNames();
        if (!valid.contains(name)) {
            throw new GlobException(Reason.NOT_RECOGNIZED,
                    "Config " + name + " not recognized, must be in " + pythonList(valid) + "!");
        }
    }

    /** The Python repr of a list of names: {@code ['A', 'B']}. */
    static String pythonList(Iterable<String> names) {
        StringBuilder b = new StringBuilder("[");
        for (String n : names) {
            if (b.length() > 1) {
                b.append(", ");
            }
            b.append('\'').append(n.replace("\\", "\\\\").replace("'", "\\'")).append('\'');
        }
        return b.append(']').toString();
    }
}
