package io.jsorc.api.spi;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What one tick of the automation loop did.
 *
 * @param started when it started
 * @param duration how long it took
 * @param actions one line per {@code keep_alive} service, in order ({@code redis: RUNNING, left alone})
 */
public record TickReport(Instant started, Duration duration, List<String> actions) {

    public TickReport {
        actions = List.copyOf(actions);
    }
}
