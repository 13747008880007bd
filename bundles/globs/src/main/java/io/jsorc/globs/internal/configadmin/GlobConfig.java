package io.jsorc.globs.internal.configadmin;

import io.jsorc.api.config.Origin;
import io.jsorc.api.config.StoredGlob;
import java.time.Instant;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a glob is held in a Config Admin configuration (PID {@code jsorc.glob.<NAME>}): the canonical JSON text in
 * {@code json}, plus {@code jsorc.revision} and {@code jsorc.time} (Long) and the origin (Strings).
 *
 * <p>Thread-safety: stateless.
 */
public final class GlobConfig {

    public static final String PID_PREFIX = "jsorc.glob.";
    public static final String JSON = "json";
    public static final String REVISION = "jsorc.revision";
    public static final String TIME = "jsorc.time";
    public static final String ACTOR = "jsorc.origin.actor";
    public static final String SOURCE = "jsorc.origin.source";
    public static final String NODE = "jsorc.origin.node";
    /** Set by FileInstall on configurations it created or updated from an etc/ file. */
    public static final String FILEINSTALL_FILENAME = "felix.fileinstall.filename";

    private GlobConfig() {
    }

    public static String pid(String name) {
        return PID_PREFIX + name;
    }

    /** The glob name of a PID, or null when it is not a glob PID. */
    public static String name(String pid) {
        return pid != null && pid.startsWith(PID_PREFIX) ? pid.substring(PID_PREFIX.length()) : null;
    }

    /** The properties of a glob, in the order they are written to the file. */
    public static Map<String, Object> toProperties(StoredGlob glob) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put(JSON, glob.json());
        p.put(REVISION, glob.revision());
        p.put(TIME, glob.time().toEpochMilli());
        p.put(ACTOR, glob.origin().actor());
        p.put(SOURCE, glob.origin().source());
        p.put(NODE, glob.origin().node());
        return p;
    }

    public static Dictionary<String, Object> toDictionary(StoredGlob glob) {
        return new Hashtable<>(toProperties(glob));
    }

    /**
     * Reads a glob from configuration properties, whoever wrote them: a missing or unreadable revision counts as 1,
     * a missing json as the empty text (which the store refuses), a missing origin as {@code fallback}.
     */
    public static StoredGlob fromProperties(String name, Map<String, ?> p, Origin fallback) {
        Object json = p.get(JSON);
        Map<String, Object> fields = FormFields.of(p);
        if (!fields.isEmpty()) {
            json = FormFields.merge(name, json instanceof String s ? s : null, fields);
        }
        long revision = Math.max(1, asLong(p.get(REVISION), 1));
        long time = asLong(p.get(TIME), System.currentTimeMillis());
        Origin origin = p.get(ACTOR) != null && p.get(SOURCE) != null && p.get(NODE) != null
                ? new Origin(p.get(ACTOR).toString(), p.get(SOURCE).toString(), p.get(NODE).toString())
                : fallback;
        return new StoredGlob(name, json instanceof String s ? s : "", revision, Instant.ofEpochMilli(time),
                origin);
    }

    /** A number, or its text ({@code 5}, or the typed form {@code L"5"} an untyped reader leaves), else the fallback. */
    static long asLong(Object v, long fallback) {
        if (v instanceof Number n) {
            return n.longValue();
        }
        if (v != null) {
            String text = v.toString().trim();
            if (text.length() > 3 && text.startsWith("L\"") && text.endsWith("\"")) {
                text = text.substring(2, text.length() - 1);
            }
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException e) {
                return fallback;
            }
        }
        return fallback;
    }

    /** The same glob (text and revision), whatever its time and origin. */
    public static boolean sameRevision(StoredGlob a, StoredGlob b) {
        return a != null && b != null && a.revision() == b.revision() && a.json().equals(b.json());
    }
}
