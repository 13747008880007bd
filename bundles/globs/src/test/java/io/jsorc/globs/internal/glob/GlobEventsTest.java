package io.jsorc.globs.internal.glob;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jsorc.api.config.AuditEntry;
import io.jsorc.api.config.Origin;
import io.jsorc.api.event.GlobEvent;
import io.jsorc.api.event.Topics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

class GlobEventsTest {

    /** An EventAdmin that records what is posted to it and fails a test that would block on sendEvent. */
    static EventAdmin posting(List<Event> posted) {
        return new EventAdmin() {
            @Override
            public void postEvent(Event event) {
                posted.add(event);
            }

            @Override
            public void sendEvent(Event event) {
                throw new AssertionError("must not block on sendEvent");
            }
        };
    }

    @Test
    void eventsAreMirroredToEventAdminInOrderOnTheGlobTopics() {
        List<Event> posted = Collections.synchronizedList(new ArrayList<>());
        EventAdmin admin = posting(posted);
        Origin o = new Origin("a", "console", "n");
        try (GlobEvents events = new GlobEvents(List::of, () -> admin)) {
            events.publish(new GlobEvent("G", 0, 1, o, Instant.ofEpochMilli(5)));
            events.publish(new GlobEvent("G", 1, 0, o, Instant.ofEpochMilli(6)));
            await().untilAsserted(() -> assertEquals(2, posted.size()));
        }
        assertEquals(Topics.GLOB_UPDATED, posted.get(0).getTopic());
        assertEquals(Topics.GLOB_DELETED, posted.get(1).getTopic());
        assertEquals("G", posted.get(0).getProperty("name"));
        assertEquals(1L, posted.get(0).getProperty("newRevision"));
        assertEquals("console", posted.get(0).getProperty("origin.source"));
        assertEquals(5L, posted.get(0).getProperty("time"));
    }

    @Test
    void everyWriteAndDeleteIsAuditedWithItsOriginAndTheValueMasked() {
        List<Event> posted = Collections.synchronizedList(new ArrayList<>());
        GlobStoreImpl store = new GlobStoreImpl();
        try {
            store.setEventAdmin(posting(posted));
            Origin bob = new Origin("bob", "http", "n2");
            store.set("VAULT_CONFIG", "{\"api_key\":\"sk_live_1\",\"url\":\"redis://u:pw@h\",\"n\":1}", null, bob);
            store.delete("VAULT_CONFIG", null, Origin.local("carol", "console"));
            await().untilAsserted(() -> assertEquals(2, audits(posted).size()));
        } finally {
            store.close();
        }
        Event set = audits(posted).get(0);
        assertEquals("jsorc/audit/CONFIG_SET", set.getTopic());
        assertEquals("VAULT_CONFIG", set.getProperty("target"));
        assertEquals(1L, set.getProperty("revision"));
        assertEquals("bob", set.getProperty("origin.actor"));
        assertEquals("http", set.getProperty("origin.source"));
        assertEquals("n2", set.getProperty("origin.node"));
        assertEquals("{\"api_key\":\"********\",\"url\":\"redis://********@h\",\"n\":1}", set.getProperty("value"));
        Event deleted = audits(posted).get(1);
        assertEquals("jsorc/audit/CONFIG_DELETE", deleted.getTopic());
        assertEquals(1L, deleted.getProperty("revision"), "the revision deleted");
        assertEquals("carol", deleted.getProperty("origin.actor"));
        assertEquals(null, deleted.getProperty("value"));
    }

    private static List<Event> audits(List<Event> posted) {
        synchronized (posted) {
            return posted.stream().filter(e -> e.getTopic().startsWith(AuditEntry.TOPIC_PREFIX)).toList();
        }
    }

    @Test
    void closeStopsTheEventThread() {
        GlobEvents events = new GlobEvents(List::of, () -> null);
        events.close();
        assertTrue(events.isShutdown());
    }
}
