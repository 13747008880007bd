package io.jsorc.api.config;

/**
 * A refused glob or config operation. The message is the text a user sees (for the config API, the exact text
 * of the original framework, e.g. {@code Config FOO not recognized, must be in [...]!}); nothing was changed.
 */
public class GlobException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why an operation was refused. */
    public enum Reason {
        /** The name is not one of the valid config names and {@code do_check} was on. */
        NOT_RECOGNIZED,
        /** The name does not match {@code [A-Za-z0-9_]{1,100}}. */
        INVALID_NAME,
        /** The value is not JSON text, or a {@code *_CONFIG}/{@code *_MANIFEST} value is not an object. */
        INVALID_VALUE,
        /** The expected revision is not the stored one. */
        STALE_REVISION,
        /** The value is larger than the store's limit for that name (the message names the limit). */
        TOO_LARGE,
        /** A tier failed; nothing was changed. */
        STORAGE
    }

    private final Reason reason;

    public GlobException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public GlobException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
