package io.jsorc.webconsole.internal;

import io.jsorc.api.event.Topics;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

/**
 * The last {@value #KEEP} outside edits the glob store refused and undone ({@link Topics#EDIT_REFUSED}: a bad Web
 * Console form save, a broken etc/ file), newest first, for the JsOrc page.
 *
 * <p>Thread-safety: every method is thread-safe.
 */
@Component(service = {RefusedEdits.class, EventHandler.class},
        property = EventConstants.EVENT_TOPIC + "=" + Topics.EDIT_REFUSED)
public final class RefusedEdits implements EventHandler {

    static final int KEEP = 20;
    private final Deque<Map<String, Object>> last = new ArrayDeque<>();

    @Override
    public void handleEvent(Event event) {
        Map<String, Object> entry = new LinkedHashMap<>();
        for (String key : new String[] {"name", "message", "origin", "time"}) {
            entry.put(key, event.getProperty(key));
        }
        synchronized (last) {
            last.addFirst(entry);
            while (last.size() > KEEP) {
                last.removeLast();
            }
        }
    }

    /** Newest first. */
    public List<Map<String, Object>> list() {
        synchronized (last) {
            return new ArrayList<>(last);
        }
    }
}
