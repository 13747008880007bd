package io.jsorc.api.runtime;

import java.time.Duration;
import java.time.Instant;

/**
 * The commands the platform gives one service instance, and the counters it reads back: handed out once, by
 * {@link Binder#bind}, to whoever binds the instance. Internal (see {@link InstanceRuntime}).
 *
 * @param <H> the hook type ({@code io.jsorc.api.Hook}); generic so this package depends on nothing
 */
public interface InstanceControl<H> {

    /** Rebuilds the settings (manifest, then config) from {@code hook}, as a transition. */
    void buildSettings(H hook);

    /** Starts the instance if enabled, NOT_STARTED and without app (as a transition); waits for the attempt. */
    void start(H hook);

    /** Stops daemons and app, back to NOT_STARTED, settings rebuilt from {@code hook}, then started if asked. */
    void reset(H hook, boolean start);

    /** Marks the instance FAILED with {@code error} (nothing when it is FAILED already or closed). */
    void fail(Throwable error);

    /**
     * Stops daemons and closes the app, then NOT_STARTED, as a transition. Afterwards the instance is closed: every
     * later transition does nothing, no daemon is accepted, no author code runs again.
     */
    void close();

    /** Whether {@link #close} was called. */
    boolean isClosed();

    /** The stack trace of the last failure (for a timeout, the hung thread's), or null. */
    String lastErrorDetail();

    /** When the last failure happened, or null. */
    Instant lastErrorTime();

    /** How many times {@code run} was entered. */
    int startCount();

    /** How many times the instance was reset. */
    int resetCount();

    /** How long the last successful {@code run} took, or null. */
    Duration lastStartDuration();
}
