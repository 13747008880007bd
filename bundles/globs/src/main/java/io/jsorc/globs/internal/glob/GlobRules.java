package io.jsorc.globs.internal.glob;

import io.jsorc.api.config.GlobException;
import io.jsorc.api.config.GlobException.Reason;
import io.jsorc.globs.internal.json.Json;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The rules every stored glob obeys, with the texts a user sees when one is broken.
 *
 * <p>Thread-safety: stateless.
 */
public final class GlobRules {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_]{1,100}");

    private GlobRules() {
    }

    public static boolean validName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /** @throws GlobException INVALID_NAME unless {@code name} matches {@code [A-Za-z0-9_]{1,100}} */
    public static void checkName(String name) {
        if (!validName(name)) {
            throw new GlobException(Reason.INVALID_NAME,
                    "Invalid glob name '" + name + "': must match [A-Za-z0-9_]{1,100}");
        }
    }

    /** Whether values of {@code name} must be JSON objects ({@code *_CONFIG}, {@code *_MANIFEST}). */
    public static boolean mustBeObject(String name) {
        return name.endsWith("_CONFIG") || name.endsWith("_MANIFEST");
    }

    /**
     * Parses {@code json} as the value of {@code name}.
     *
     * @throws GlobException INVALID_VALUE when it is not JSON, or not an object where one is required
     */
    public static Object parseValue(String name, String json) {
        Object value;
        try {
            value = Json.parse(json);
        } catch (IllegalArgumentException e) {
            throw new GlobException(Reason.INVALID_VALUE,
                    "Value of " + name + " is not valid JSON: " + e.getMessage(), e);
        }
        checkValue(name, value);
        return value;
    }

    /** @throws GlobException INVALID_VALUE when {@code name} needs an object and {@code value} is not one */
    public static void checkValue(String name, Object value) {
        if (mustBeObject(name) && !(value instanceof Map)) {
            throw new GlobException(Reason.INVALID_VALUE,
                    "Value of " + name + " must be a JSON object, not " + Json.typeOf(value));
        }
    }

    /** The text of a stale-revision refusal. */
    public static GlobException stale(String name, Long expected, long stored) {
        String want = expected == 0 ? "absent" : "revision " + expected;
        String have = stored == 0 ? "absent" : stored < 0 ? "changed meanwhile" : "revision " + stored;
        return new GlobException(Reason.STALE_REVISION,
                "Stale write of " + name + ": expected " + want + " but it is " + have + "; read it again and retry");
    }
}
