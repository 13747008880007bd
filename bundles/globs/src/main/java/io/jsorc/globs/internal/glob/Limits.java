package io.jsorc.globs.internal.glob;

import io.jsorc.api.config.GlobException;
import io.jsorc.api.config.GlobException.Reason;
import java.nio.charset.StandardCharsets;

/**
 * How large the canonical JSON text of a glob may be, in UTF-8 bytes: {@code *_MANIFEST} globs (Kubernetes
 * manifests) get their own, larger limit.
 *
 * @param valueBytes    the limit of every glob but manifests (default 1 MiB)
 * @param manifestBytes the limit of {@code *_MANIFEST} globs (default 8 MiB)
 */
public record Limits(long valueBytes, long manifestBytes) {

    public static final long MIB = 1024L * 1024L;
    public static final Limits DEFAULT = new Limits(MIB, 8 * MIB);

    public Limits {
        if (valueBytes < 1 || manifestBytes < 1) {
            throw new IllegalArgumentException("glob size limits must be positive: " + valueBytes + ", "
                    + manifestBytes);
        }
    }

    /** The limit for {@code name}. */
    public long of(String name) {
        return name.endsWith("_MANIFEST") ? manifestBytes : valueBytes;
    }

    /** @throws GlobException TOO_LARGE when {@code canonical} is over the limit of {@code name}, naming the limit */
    public void check(String name, String canonical) {
        long limit = of(name);
        if (canonical.length() <= limit / 4) {
            return; // at most 4 bytes per char: certainly within the limit, no need to encode
        }
        long bytes = canonical.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > limit) {
            throw new GlobException(Reason.TOO_LARGE, "Value of " + name + " is " + bytes + " bytes, over the limit of "
                    + limit + " bytes (" + describe(limit) + ") for " + (name.endsWith("_MANIFEST") ? "manifests"
                    : "globs") + "; see max." + (name.endsWith("_MANIFEST") ? "manifest" : "value")
                    + ".bytes in etc/jsorc.globs.cfg");
        }
    }

    /**
     * A text far longer than the limit (over 4 characters for each byte allowed: no indentation needs that) is
     * refused before it is parsed at all.
     *
     * @throws GlobException TOO_LARGE
     */
    public void checkRaw(String name, String json) {
        long limit = of(name);
        if (json != null && json.length() > 4 * limit) {
            throw new GlobException(Reason.TOO_LARGE, "Value of " + name + " is " + json.length()
                    + " characters of JSON text, far over the limit of " + limit + " bytes (" + describe(limit)
                    + ")");
        }
    }

    private static String describe(long bytes) {
        return bytes % MIB == 0 ? bytes / MIB + " MiB" : bytes % 1024 == 0 ? bytes / 1024 + " KiB" : bytes + " bytes";
    }
}
