package io.jsorc.shell.internal;

import io.jsorc.api.MetaService;
import io.jsorc.api.ServiceInfo;
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
