package io.jsorc.webconsole.internal;

import io.jsorc.api.config.AuditEntry;
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
 * The last {@value #KEEP} changes of each glob seen since this bundle started, from the audit trail's events
 * ({@code jsorc/audit/CONFIG_SET}, {@code CONFIG_DELETE}; values already masked): the JsOrc page's "history" until
 * globs keep their own (the Redis issue's glob history). At most {@value #NAMES} globs are remembered (the least
 * recently changed is forgotten first).
 *
 * <p>Thread-safety: every method is thread-safe.
 */
@Component(service = {RecentChanges.class, EventHandler.class}, property = {
    EventConstants.EVENT_TOPIC + "=" + AuditEntry.TOPIC_PREFIX + "CONFIG_SET",
    EventConstants.EVENT_TOPIC + "=" + AuditEntry.TOPIC_PREFIX + "CONFIG_DELETE" })
public final class RecentChanges implements EventHandler {

    static final int KEEP = 20;
    static final int NAMES = 500;
    static final int MAX_VALUE_CHARS = 2000;

    private final LinkedHashMap<String, Deque<Map<String, Object>>> byName = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Deque<Map<String, Object>>> eldest) {
            return size() > NAMES;
        }
    };

    @Override
    public void handleEvent(Event event) {
        Object target = event.getProperty("target");
        if (!(target instanceof String name)) {
            return;
        }
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("action", event.getProperty("action"));
        entry.put("revision", event.getProperty("revision"));
        entry.put("time", event.getProperty("time"));
        entry.put("origin", event.getProperty("origin"));
        Object value = event.getProperty("value");
        entry.put("value", value instanceof String text && text.length() > MAX_VALUE_CHARS
                ? text.substring(0, MAX_VALUE_CHARS) + "…" : value);
        synchronized (byName) {
            Deque<Map<String, Object>> last = byName.computeIfAbsent(name, n -> new ArrayDeque<>());
            last.addFirst(entry);
            while (last.size() > KEEP) {
                last.removeLast();
            }
        }
    }

    /** The changes of {@code name}, newest first. */
    public List<Map<String, Object>> of(String name) {
        synchronized (byName) {
            Deque<Map<String, Object>> last = byName.get(name);
            return last == null ? List.of() : new ArrayList<>(last);
        }
    }
}
