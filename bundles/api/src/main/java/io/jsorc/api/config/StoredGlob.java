package io.jsorc.api.config;

import java.time.Instant;
import java.util.Objects;

/**
 * One revision of a glob as the tiers store it: the canonical JSON text, its revision (1 for the first write,
 * +1 for each later one), when and by whom it was written.
 */
public record StoredGlob(String name, String json, long revision, Instant time, Origin origin) {

    public StoredGlob {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(json, "json");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(origin, "origin");
        if (revision < 1) {
            throw new IllegalArgumentException("revision must be >= 1: " + revision);
        }
    }
}
