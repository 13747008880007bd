package io.jsorc.api;

import io.jsorc.api.config.Secrets;
import io.jsorc.api.runtime.InstanceRuntime;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The settings of one instance, built from its hook the seed's way: manifest first ({@code __OLD_CONFIG__} and
 * {@code __UNSAFE_PARAPHRASE__} taken out of it), then config ({@code enabled} and {@code quiet} taken out of it,
 * secret references resolved: {@link Secrets#resolve}). Immutable.
 */
record Settings(Map<String, Object> config, Map<String, Object> manifest, Map<String, Object> manifestMeta,
        boolean enabled, boolean quiet) {

    /** Before the first build: disabled and quiet, as the seed initialises a service. */
    static final Settings INITIAL = new Settings(Map.of(), null, Map.of(), false, true);

    /** After a settings error: disabled, not quiet, no manifest (the seed's fallback). */
    static final Settings DISABLED = new Settings(Map.of(), null, Map.of(), false, false);

    /** Calls the author's {@code buildManifest} and {@code buildConfig} through {@code runtime}, within its bound. */
    static Settings build(CommonService<?> service, Hook hook, InstanceRuntime runtime) throws Exception {
        Map<String, Object> manifest = runtime.callAuthor("buildManifest", runtime.startTimeout(),
                () -> service.buildManifest(hook), null);
        Map<String, Object> meta = new LinkedHashMap<>();
        if (manifest != null && !manifest.isEmpty()) {
            manifest = new LinkedHashMap<>(manifest);
            meta.put("__OLD_CONFIG__", orDefault(manifest.remove("__OLD_CONFIG__"), Map.of()));
            meta.put("__UNSAFE_PARAPHRASE__", orDefault(manifest.remove("__UNSAFE_PARAPHRASE__"), ""));
        }
        Map<String, Object> built = runtime.callAuthor("buildConfig", runtime.startTimeout(),
                () -> service.buildConfig(hook), null);
        if (built == null) {
            throw new IllegalStateException("buildConfig returned null");
        }
        Map<String, Object> config = new LinkedHashMap<>(built);
        boolean enabled = flag(config.remove("enabled"), "enabled");
        boolean quiet = flag(config.remove("quiet"), "quiet");
        // $[env:NAME] and $[file:/path] are resolved here only: the glob keeps the reference
        @SuppressWarnings("unchecked")
        Map<String, Object> resolved = (Map<String, Object>) Secrets.resolve(config);
        config = resolved;
        return new Settings(Collections.unmodifiableMap(config),
                manifest == null || manifest.isEmpty() ? null : Collections.unmodifiableMap(manifest),
                Collections.unmodifiableMap(meta), enabled, quiet);
    }

    private static Object orDefault(Object value, Object fallback) {
        return value == null ? fallback : value;
    }

    private static boolean flag(Object value, String key) {
        if (value == null) {
            return false;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        throw new IllegalArgumentException("'" + key + "' must be true or false, not " + value);
    }
}
