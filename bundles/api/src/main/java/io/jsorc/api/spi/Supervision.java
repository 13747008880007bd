package io.jsorc.api.spi;

import io.jsorc.api.ServiceState;
import java.time.Instant;

/**
 * The loop's view of one {@code keep_alive} service.
 *
 * @param name the service
 * @param state its state ({@code null} when no such service is registered yet)
 * @param failures failures within the crash-loop window
 * @param consecutiveFailures failures since it last ran for {@code backoff_reset} seconds; the backoff grows with it
 * @param backoffUntil the loop leaves it alone until then, or null
 * @param quarantinedSince when it was quarantined, or null when it is not
 * @param lastError the service's last error, or null
 * @param note what the loop did or is waiting for, one line
 */
public record Supervision(String name, ServiceState state, int failures, int consecutiveFailures, Instant backoffUntil,
        Instant quarantinedSince, String lastError, String note) {

    /**
     * Whether the loop leaves the service alone until {@code service_refresh} or a change of its config glob.
     *
     * @return true when quarantined
     */
    public boolean quarantined() {
        return quarantinedSince != null;
    }
}
