package io.jsorc.api;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A read-only snapshot of one service, as {@code jsorc:service-info} shows it. Implemented by the platform only;
 * later versions add methods (automation, Kubernetes), so do not implement it.
 */
@ProviderType
public interface ServiceInfo {

    /** The service name. */
    String name();

    /** The background instance's state (NOT_STARTED when none is built). */
    ServiceState state();

    /** From its config. */
    boolean enabled();

    /** From its config. */
    boolean quiet();

    /** Symbolic name and version of the bundle providing the winning registration. */
    String bundle();

    /** {@code service.ranking} of the winning registration. */
    int ranking();

    /** {@code service.id} of the winning registration. */
    long serviceId();

    /** The other registrations under this name, best first ({@code bundle [ranking=r, id=i]}). */
    List<String> fallbacks();

    /** The config glob it reads. */
    String configGlob();

    /** The manifest glob it reads, or null. */
    String manifestGlob();

    /**
     * The last failure or settings error ({@code Class: first useful message}), or null. It stays after the
     * service runs again: compare {@link #lastErrorTime()} with the state.
     */
    String lastError();

    /** When the last error happened, or null. */
    Instant lastErrorTime();

    /** The full stack trace of the last error (for a timeout, the hung thread's), or null. */
    String lastErrorDetail();

    /** How many times {@code run} was entered. */
    int startCount();

    /** How many times the instance was reset. */
    int resetCount();

    /** Names of its live daemons. */
    List<String> daemons();

    /** How long the last successful {@code run} took, or null. */
    Duration lastStartDuration();

    /** Disposable instances built and not yet released. */
    int outstanding();

    /** How long {@code run}, {@code postRun} and the settings may take. */
    Duration startTimeout();

    /** How long stopping daemons, and {@code closeApp}, may take. */
    Duration stopTimeout();

    /**
     * True while {@code META_CONFIG.automation} is on, the service is in {@code keep_alive} and not RUNNING:
     * MetaService leaves starting it to the JsOrc loop.
     */
    boolean awaitingAutomation();

    /**
     * Threads of this service that did not stop within their bound and were abandoned (each
     * {@code thread-name: what}); they pin the bundle's class loader until they end.
     */
    List<String> abandonedThreads();
}
