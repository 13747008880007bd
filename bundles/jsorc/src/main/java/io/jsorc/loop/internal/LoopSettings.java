package io.jsorc.loop.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The loop's view of {@code META_CONFIG}: the original's keys ({@code automation}, {@code backoff_interval},
 * {@code namespace}, {@code keep_alive}) and the loop's own ({@code backoff_max}, {@code backoff_reset},
 * {@code crash_loop_limit}, {@code crash_loop_window}). Durations are in seconds. A missing key takes its default; a
 * bad one takes its default too and is named in {@link #problems}.
 *
 * @param automation whether the loop runs
 * @param backoffInterval seconds between the end of a tick and the next one; the backoff's base (≥ 1)
 * @param namespace where manifests go
 * @param keepAlive the services the loop keeps running, in order
 * @param backoffMax the backoff's cap, in seconds (≥ 1)
 * @param backoffReset seconds a service must run for its backoff to start again from the base (≥ 1)
 * @param crashLoopLimit failures within the window that quarantine a service (≥ 1)
 * @param crashLoopWindow the window, in seconds (≥ 1)
 * @param problems one line per bad value, for a WARN
 */
record LoopSettings(boolean automation, int backoffInterval, String namespace, List<String> keepAlive, int backoffMax,
        int backoffReset, int crashLoopLimit, int crashLoopWindow, List<String> problems) {

    static final int DEFAULT_BACKOFF_INTERVAL = 10;
    static final int DEFAULT_BACKOFF_MAX = 300;
    static final int DEFAULT_BACKOFF_RESET = 600;
    static final int DEFAULT_CRASH_LOOP_LIMIT = 5;
    static final int DEFAULT_CRASH_LOOP_WINDOW = 600;
    static final List<String> DEFAULT_KEEP_ALIVE = List.of("promon", "redis", "task", "mail");

    /** Before MetaService told the loop anything: off. */
    static final LoopSettings OFF = from(Map.of());

    LoopSettings {
        keepAlive = List.copyOf(keepAlive);
        problems = List.copyOf(problems);
    }

    static LoopSettings from(Map<String, Object> values) {
        List<String> problems = new ArrayList<>();
        Object automation = values.getOrDefault("automation", false);
        if (!(automation instanceof Boolean)) {
            problems.add("automation must be true or false, not " + automation + " (automation stays off)");
        }
        Object namespace = values.getOrDefault("namespace", "default");
        if (!(namespace instanceof String text) || text.isBlank()) {
            problems.add("namespace must be a non-empty string, not " + namespace + " (default used)");
            namespace = "default";
        }
        return new LoopSettings(Boolean.TRUE.equals(automation),
                seconds(values, "backoff_interval", DEFAULT_BACKOFF_INTERVAL, problems), (String) namespace,
                names(values.getOrDefault("keep_alive", DEFAULT_KEEP_ALIVE), problems),
                seconds(values, "backoff_max", DEFAULT_BACKOFF_MAX, problems),
                seconds(values, "backoff_reset", DEFAULT_BACKOFF_RESET, problems),
                seconds(values, "crash_loop_limit", DEFAULT_CRASH_LOOP_LIMIT, problems),
                seconds(values, "crash_loop_window", DEFAULT_CRASH_LOOP_WINDOW, problems), problems);
    }

    /** A whole number ≥ 1 (seconds or a count). */
    private static int seconds(Map<String, Object> values, String key, int fallback, List<String> problems) {
        Object value = values.getOrDefault(key, fallback);
        if ((value instanceof Integer || value instanceof Long) && ((Number) value).longValue() >= 1
                && ((Number) value).longValue() <= Integer.MAX_VALUE) {
            return ((Number) value).intValue();
        }
        problems.add(key + " must be a whole number of at least 1, not " + value + " (" + fallback + " used)");
        return fallback;
    }

    private static List<String> names(Object value, List<String> problems) {
        if (!(value instanceof List<?> list)) {
            problems.add("keep_alive must be a list of service names, not " + value + " (nothing kept alive)");
            return List.of();
        }
        List<String> names = new ArrayList<>();
        for (Object name : list) {
            if ("meta".equals(name)) {
                problems.add("keep_alive holds meta, which MetaService runs itself (skipped)");
            } else if (name instanceof String text && !text.isBlank() && !names.contains(text)) {
                names.add(text);
            } else if (!(name instanceof String text && names.contains(text))) {
                problems.add("keep_alive holds " + name + ", which is not a service name (skipped)");
            }
        }
        return names;
    }
}
