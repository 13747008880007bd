package io.jsorc.api.config;

import java.util.Objects;

/**
 * The answer of a {@link ConfigApi} write: the message the original framework returned, and the revision the write
 * produced (for compare-and-set by the next writer). A value class: later versions may add fields.
 */
public final class ConfigResult {

    private final String name;
    private final String message;
    private final long revision;

    private ConfigResult(String name, String message, long revision) {
        this.name = Objects.requireNonNull(name, "name");
        this.message = Objects.requireNonNull(message, "message");
        this.revision = revision;
    }

    public static ConfigResult of(String name, String message, long revision) {
        return new ConfigResult(name, message, revision);
    }

    /** The glob name. */
    public String name() {
        return name;
    }

    /** The original's message, e.g. {@code Config of 'X' to '{...}' set!}. */
    public String message() {
        return message;
    }

    /** The revision written (for a delete: the revision deleted, 0 when nothing was stored). */
    public long revision() {
        return revision;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ConfigResult that && name.equals(that.name) && message.equals(that.message)
                && revision == that.revision;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, message, revision);
    }

    @Override
    public String toString() {
        return message;
    }
}
