package io.jsorc.shell.internal;

import io.jsorc.api.MetaService;
import io.jsorc.api.ServiceInfo;

/** Shared look-ups of the service commands. */
final class Services {

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
}
