package io.jsorc.shell.internal;

import io.jsorc.api.MetaService;
import io.jsorc.api.ServiceInfo;
import io.jsorc.api.spi.AutomationProvider;
import io.jsorc.api.spi.Supervision;
import java.util.Optional;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** Shared look-ups and formats of the service commands. */
final class Services {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    private Services() {
    }

    /**
     * The snapshot of {@code name}.
     *
     * @throws IllegalArgumentException {@code <name> is not a valid service.} for an unknown name
     */
    static ServiceInfo require(MetaService meta, String name) {
        return meta.info(name).orElseThrow(() -> new IllegalArgumentException(name + " is not a valid service."));
    }

    /** {@code value}, or {@code -} for null, so table cells are never empty. */
    static String text(Object value) {
        return value == null ? "-" : String.valueOf(value);
    }

    /** The state, and {@code (awaiting automation)} while the JsOrc loop is the one to start it. */
    static String state(ServiceInfo info) {
        return info.state() + (info.awaitingAutomation() ? " (awaiting automation)" : "");
    }

    /**
     * The state, then what the JsOrc loop says of it: {@code (quarantined)}, {@code (backing off until 12:01:30)},
     * else {@code (awaiting automation)} while the loop is the one to start it.
     */
    static String state(ServiceInfo info, AutomationProvider loop) {
        Optional<Supervision> supervision = supervision(loop, info.name());
        if (supervision.isPresent() && supervision.get().quarantined()) {
            return info.state() + " (quarantined)";
        }
        if (supervision.isPresent() && supervision.get().backoffUntil() != null) {
            return info.state() + " (backing off until " + time(supervision.get().backoffUntil()) + ")";
        }
        return state(info);
    }

    static final String NO_LOOP = "The JsOrc loop is not running here: install feature jsorc-loop (it is part of "
            + "feature jsorc)";

    /**
     * The loop a command needs.
     *
     * @throws IllegalArgumentException (refused: one line) when the loop's bundle is not there
     */
    static AutomationProvider requireLoop(AutomationProvider loop) {
        if (loop == null) {
            throw new IllegalArgumentException(NO_LOOP);
        }
        return loop;
    }

    /** What the loop knows of {@code name}; empty without a loop or when it does not supervise it. */
    static Optional<Supervision> supervision(AutomationProvider loop, String name) {
        return loop == null ? Optional.empty() : loop.supervision(name);
    }

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    /** A local time of day ({@code 12:01:30}), or {@code -}. */
    static String time(Instant time) {
        return time == null ? "-" : TIME.format(time);
    }

    /** The last error with its local time ({@code 2026-11-30 15:02:11 java.net...: ...}), or {@code -}. */
    static String lastError(ServiceInfo info) {
        if (info.lastError() == null) {
            return "-";
        }
        return info.lastErrorTime() == null ? info.lastError() : when(info.lastErrorTime()) + " " + info.lastError();
    }

    static String when(Instant time) {
        return WHEN.format(time);
    }
}
