package io.jsorc.meta.internal;

import io.jsorc.api.ServiceProperties;
import io.jsorc.api.config.GlobStore;
import io.jsorc.api.config.Origin;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Collections;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code META_CONFIG}, read with {@code serviceGlob} and the original's defaults:
 * {@code {"automation": false, "backoff_interval": 10, "namespace": "default",
 * "keep_alive": ["promon", "redis", "task", "mail"], "kubernetes": {"in_cluster": true, "config": null}}}, followed
 * by the automation loop's own keys (new keys only, added to a stored META_CONFIG by the defaults merge):
 * {@code "backoff_max": 300, "backoff_reset": 600, "crash_loop_limit": 5, "crash_loop_window": 600} (seconds and a
 * count; the loop reads and checks them).
 *
 * @param values everything read, for the loop (unmodifiable)
 * @param sequence which read this is: later reads have higher numbers (the loop ignores a stale one)
 */
public record MetaConfig(boolean automation, int backoffInterval, String namespace, List<String> keepAlive,
        Map<String, Object> kubernetes, Map<String, Object> values, long sequence) {

    private static final Logger LOG = LoggerFactory.getLogger(MetaConfig.class);
    /** Seeded from the clock, so a reread after this bundle is updated (a new class) still counts up. */
    private static final AtomicLong READS = new AtomicLong(System.nanoTime());

    /** The original's defaults, in the original's key order. */
    public static Map<String, Object> defaults() {
        Map<String, Object> kubernetes = new LinkedHashMap<>();
        kubernetes.put("in_cluster", true);
        kubernetes.put("config", null);
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("automation", false);
        config.put("backoff_interval", 10);
        config.put("namespace", "default");
        config.put("keep_alive", new ArrayList<>(List.of("promon", "redis", "task", "mail")));
        config.put("kubernetes", kubernetes);
        // the loop's settings, beyond the original (see the JsOrc loop bundle)
        config.put("backoff_max", 300);
        config.put("backoff_reset", 600);
        config.put("crash_loop_limit", 5);
        config.put("crash_loop_window", 600);
        return config;
    }

    /** Reads META_CONFIG (writing the defaults once when absent); a bad value is logged and the defaults used. */
    static MetaConfig read(GlobStore globs) {
        Map<String, Object> values;
        try {
            values = globs.serviceGlob(ServiceProperties.META_CONFIG, defaults(), Origin.local("meta", "default"));
        } catch (RuntimeException e) {
            LOG.error("Error loading META_CONFIG ({}); using the defaults", e.getMessage());
            LOG.debug("META_CONFIG error", e);
            values = defaults();
        }
        try {
            return from(values);
        } catch (RuntimeException e) {
            LOG.error("META_CONFIG is invalid ({}); using the defaults", e.getClass().getSimpleName());
            return from(defaults());
        }
    }

    @SuppressWarnings("unchecked")
    static MetaConfig from(Map<String, Object> values) {
        Object automation = values.getOrDefault("automation", false);
        Object backoff = values.getOrDefault("backoff_interval", 10);
        Object keepAlive = values.getOrDefault("keep_alive", List.of());
        Object kubernetes = values.getOrDefault("kubernetes", Map.of());
        List<String> names = new ArrayList<>();
        for (Object name : (List<Object>) keepAlive) {
            names.add(String.valueOf(name));
        }
        return new MetaConfig(Boolean.TRUE.equals(automation), ((Number) backoff).intValue(),
                String.valueOf(values.getOrDefault("namespace", "default")), List.copyOf(names),
                (Map<String, Object>) kubernetes, Collections.unmodifiableMap(new LinkedHashMap<>(values)),
                READS.incrementAndGet());
    }
}
