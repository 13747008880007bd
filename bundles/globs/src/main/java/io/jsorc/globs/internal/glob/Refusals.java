package io.jsorc.globs.internal.glob;

import io.jsorc.api.config.Origin;
import io.jsorc.api.event.Topics;
import java.util.HashMap;
import java.util.Map;
import org.osgi.service.event.Event;

/**
 * The EventAdmin event of an outside edit that was refused and undone ({@link Topics#EDIT_REFUSED}).
 *
 * <p>Thread-safety: stateless.
 */
public final class Refusals {

    private Refusals() {
    }

    public static Event event(String name, Origin origin, String message) {
        Map<String, Object> props = new HashMap<>();
        props.put("name", name);
        props.put("message", message);
        props.put("origin", origin.toString());
        props.put("origin.actor", origin.actor());
        props.put("origin.source", origin.source());
        props.put("origin.node", origin.node());
        props.put("time", System.currentTimeMillis());
        return new Event(Topics.EDIT_REFUSED, props);
    }
}
