package io.jsorc.api.spi;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A snapshot of the automation loop.
 *
 * @param automation {@code META_CONFIG.automation} as last read
 * @param running whether the loop runs its ticks
 * @param ticks ticks run since the loop started
 * @param lastTick when the last tick started, or null
 * @param lastTickDuration how long it took, or null
 * @param nextTick when the next tick is due, or null when none is scheduled
 * @param backoffInterval {@code META_CONFIG.backoff_interval}, in seconds
 * @param cluster where manifests are applied, or why they are not ("Kubernetes is not configured")
 * @param services the {@code keep_alive} services, in order
 */
public record AutomationStatus(boolean automation, boolean running, long ticks, Instant lastTick,
        Duration lastTickDuration, Instant nextTick, int backoffInterval, String cluster, List<Supervision> services) {

    public AutomationStatus {
        services = List.copyOf(services);
    }
}
