package io.jsorc.http.internal;

/**
 * A request refused with an HTTP status and one readable message (and the request field at fault, when one is).
 * Thrown for the client's mistakes and for a store that cannot be reached; never logged above DEBUG.
 */
final class ApiError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    final int status;
    final String field;
    /** The current revision, for a 409. */
    final Long revision;

    ApiError(int status, String message) {
        this(status, message, null, null);
    }

    ApiError(int status, String message, String field, Long revision) {
        super(message, null, false, false);
        this.status = status;
        this.field = field;
        this.revision = revision;
    }

    static ApiError badField(String field, String message) {
        return new ApiError(400, message, field, null);
    }
}
