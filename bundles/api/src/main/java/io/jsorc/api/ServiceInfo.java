package io.jsorc.api;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A read-only snapshot of one service, as {@code jsorc:service-info} shows it.
 *
 * @param name          the service name
 * @param state         the background instance's state (NOT_STARTED when none is built)
 * @param enabled       from its config
 * @param quiet         from its config
 * @param bundle        symbolic name and version of the bundle providing the winning registration
 * @param ranking       {@code service.ranking} of the winning registration
 * @param serviceId     {@code service.id} of the winning registration
 * @param fallbacks     the other registrations under this name, best first ({@code bundle [ranking=r, id=i]})
 * @param configGlob    the config glob it reads
 * @param manifestGlob  the manifest glob it reads, or null
 * @param lastError     the last failure ({@code Class: message}), or null
 * @param lastErrorTime when it happened, or null
 * @param lastErrorDetail the full stack trace of the last failure (for a start timeout, the hung thread's), or null
 * @param startCount    how many times {@code run} was entered
 * @param resetCount    how many times the instance was reset
 * @param daemons       names of its live daemons
 * @param lastStartDuration how long the last successful {@code run} took, or null
 * @param outstanding   disposable instances built and not yet released
 */
public record ServiceInfo(String name, ServiceState state, boolean enabled, boolean quiet, String bundle,
        int ranking, long serviceId, List<String> fallbacks, String configGlob, String manifestGlob,
        String lastError, Instant lastErrorTime, String lastErrorDetail, int startCount, int resetCount,
        List<String> daemons, Duration lastStartDuration, int outstanding) {
}
