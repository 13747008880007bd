package io.jsorc.api;

/**
 * The states of a service, with the codes of the original Jaseci framework. A disabled service simply stays
 * {@link #NOT_STARTED}; an instance that is removed ends in it. Later versions may add states (quarantine, for the
 * JsOrc loop): give a {@code switch} on it a default branch.
 */
public enum ServiceState {
    FAILED(-1),
    NOT_STARTED(0),
    STARTED(1),
    RUNNING(2);

    private final int code;

    ServiceState(int code) {
        this.code = code;
    }

    /** The numeric code of the original: -1, 0, 1 or 2. */
    public int code() {
        return code;
    }

    /** True for {@link #NOT_STARTED}: the only state from which {@code start} acts. */
    public boolean isReady() {
        return this == NOT_STARTED;
    }

    public boolean isRunning() {
        return this == RUNNING;
    }

    public boolean hasFailed() {
        return this == FAILED;
    }
}
