package io.jsorc.api.config;

import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One entry of the audit trail: a mutating action (a glob written or deleted, a service refreshed), who did it and
 * from where ({@link Origin}: actor, source {@code console/http/webconsole/file/default/service}, node), when, the
 * revision it produced, and the value written with its secrets masked. The platform writes every entry, once, as one
 * JSON line ({@link #toJson()}) to the SLF4J logger {@value #LOGGER} (the distribution sends that logger to
 * {@code data/log/jsorc-audit.log} only), and posts it to EventAdmin on topic {@link #topic()}
 * ({@code jsorc/audit/CONFIG_SET}, ...) with {@link #eventProperties()}.
 *
 * @param action what was done: {@link #CONFIG_SET}, {@link #CONFIG_DELETE}, {@link #SERVICE_REFRESH}; later
 *        versions add actions
 * @param target the glob or service name
 * @param revision the glob revision written (for a delete: the one deleted; for a refresh: the revision of the
 *        service's config glob it read, 0 when none is stored)
 * @param origin who and from where
 * @param time when
 * @param value the masked value written as JSON text (abbreviated past {@link #MAX_VALUE_CHARS}), or null; for a
 *        refresh its outcome: {@code {"state":"RUNNING"}}, or {@code {"error":"..."}} when it failed or was given
 *        up at its bound
 * @since 1.1
 */
public record AuditEntry(String action, String target, long revision, Origin origin, Instant time, String value) {

    /** The logger every entry is written to, at INFO. */
    public static final String LOGGER = "io.jsorc.audit";
    /** A glob was stored (through any surface, a file edit, or defaults saved at a service's first start). */
    public static final String CONFIG_SET = "config_set";
    /** A glob was deleted. */
    public static final String CONFIG_DELETE = "config_delete";
    /** A service was refreshed ({@code service_refresh}). */
    public static final String SERVICE_REFRESH = "service_refresh";
    /** The EventAdmin topics of the audit trail: {@code jsorc/audit/} and the action in upper case. */
    public static final String TOPIC_PREFIX = "jsorc/audit/";
    /** Every audit topic. */
    public static final String TOPIC_ALL = "jsorc/audit/*";
    /** Values longer than this are cut in the trail, with their length given. */
    public static final int MAX_VALUE_CHARS = 8192;

    public AuditEntry {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(time, "time");
        if (value != null && value.length() > MAX_VALUE_CHARS) {
            int cut = Character.isHighSurrogate(value.charAt(MAX_VALUE_CHARS - 1)) ? MAX_VALUE_CHARS - 1 : MAX_VALUE_CHARS;
            value = value.substring(0, cut) + "... (" + value.length() + " characters)";
        }
    }

    /**
     * The entry of a glob written.
     *
     * @param name the glob
     * @param revision the revision written
     * @param value its value, unmasked (it is masked here)
     * @param origin who wrote it
     * @param time when
     * @return the entry, its value masked
     */
    public static AuditEntry globSet(String name, long revision, Object value, Origin origin, Instant time) {
        return new AuditEntry(CONFIG_SET, name, revision, origin, time, Secrets.maskedJson(name, value));
    }

    /** The EventAdmin topic, e.g. {@code jsorc/audit/CONFIG_SET}. */
    public String topic() {
        return TOPIC_PREFIX + action.toUpperCase(Locale.ROOT);
    }

    /**
     * The EventAdmin properties: the component names, {@code origin} as text and {@code origin.actor},
     * {@code origin.source}, {@code origin.node}, {@code time} in epoch milliseconds; {@code value} only when there
     * is one.
     */
    public Map<String, Object> eventProperties() {
        Map<String, Object> props = new HashMap<>();
        props.put("action", action);
        props.put("target", target);
        props.put("revision", revision);
        props.put("origin", origin.toString());
        props.put("origin.actor", origin.actor());
        props.put("origin.source", origin.source());
        props.put("origin.node", origin.node());
        props.put("time", time.toEpochMilli());
        if (value != null) {
            props.put("value", value);
        }
        return props;
    }

    /**
     * The entry as one line of JSON: {@code {"time":"2026-11-30T22:00:00.123Z","action":"config_set",
     * "target":"REDIS_CONFIG","revision":4,"actor":"karaf","source":"console","node":"n1","value":{...}}}; the
     * value is embedded as JSON (a cut value as a string).
     */
    public String toJson() {
        StringBuilder json = new StringBuilder(128 + (value == null ? 0 : value.length()));
        json.append("{\"time\":");
        Secrets.quote(time.toString(), json);
        field(json, "action", action);
        field(json, "target", target);
        json.append(",\"revision\":").append(revision);
        field(json, "actor", origin.actor());
        field(json, "source", origin.source());
        field(json, "node", origin.node());
        if (value != null) {
            json.append(",\"value\":");
            if (value.length() > MAX_VALUE_CHARS) {
                Secrets.quote(value, json);
            } else {
                json.append(value);
            }
        }
        return json.append('}').toString();
    }

    private static void field(StringBuilder json, String name, String text) {
        json.append(",\"").append(name).append("\":");
        Secrets.quote(text, json);
    }
}
