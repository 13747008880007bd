package io.jsorc.meta.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jsorc.api.CommonService;
import io.jsorc.api.ServiceState;
import io.jsorc.api.event.ServiceStateEvent;
import io.jsorc.api.event.ServiceStateListener;
import io.jsorc.meta.internal.TestServices.Simple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

/** Where state changes go (listeners, EventAdmin), the order of registrations, and handing instances back. */
class MetaServiceEventsTest extends MetaServiceTestBase {

    /** An EventAdmin that records what it is sent. */
    static final class RecordingEventAdmin implements EventAdmin {
        final List<Event> sent = new CopyOnWriteArrayList<>();

        @Override
        public void postEvent(Event event) {
            sent.add(event);
        }

        @Override
        public void sendEvent(Event event) {
            sent.add(event);
        }

        List<String> topicsOf(String name) {
            return sent.stream().filter(e -> name.equals(e.getProperty("name"))).map(Event::getTopic).toList();
        }
    }

    static List<String> running(List<ServiceStateEvent> events, String name) {
        return events.stream().filter(e -> e.name().equals(name) && e.to() == ServiceState.RUNNING)
                .map(e -> e.from() + ">" + e.to()).toList();
    }

    @Test
    void stateChangesReachListenersAndEventAdminUntilTheyAreUnbound() {
        List<ServiceStateEvent> removed = new CopyOnWriteArrayList<>();
        List<ServiceStateEvent> stays = new CopyOnWriteArrayList<>();
        ServiceStateListener removedListener = removed::add;
        ServiceStateListener throwing = event -> {
            throw new IllegalStateException("a listener that breaks");
        };
        RecordingEventAdmin admin = new RecordingEventAdmin();
        meta.addStateListener(removedListener);
        meta.addStateListener(throwing);
        meta.addStateListener(stays::add);
        meta.setEventAdmin(admin);
        meta.register(TestServices.source("ev", 0, () -> new Simple("ev")));
        awaitState("ev", ServiceState.RUNNING);
        await("EventAdmin got RUNNING").until(() -> admin.topicsOf("ev").contains("jsorc/service/RUNNING"));
        Event running = admin.sent.stream().filter(e -> e.getTopic().equals("jsorc/service/RUNNING")
                && "ev".equals(e.getProperty("name"))).findFirst().orElseThrow();
        assertEquals("STARTED", running.getProperty("from"));
        assertEquals("RUNNING", running.getProperty("to"));
        assertEquals("test.bundle.0", running.getProperty("bundle"));
        assertEquals(Boolean.TRUE, running.getProperty("background"));
        assertTrue(running.getProperty("time") instanceof Long);
        assertEquals(List.of("STARTED>RUNNING"), running(stays, "ev"), "a throwing listener stops no one");
        await().until(() -> running(removed, "ev").size() == 1);

        meta.removeStateListener(removedListener);
        meta.unsetEventAdmin(new RecordingEventAdmin()); // not the bound one: nothing changes
        assertTrue(meta.refresh("ev"));
        await("the refresh's RUNNING").until(() -> running(stays, "ev").size() == 2);
        await("EventAdmin still bound").until(() -> Collections.frequency(admin.topicsOf("ev"),
                "jsorc/service/RUNNING") == 2);
        assertEquals(1, running(removed, "ev").size(), "a removed listener hears nothing more");

        meta.unsetEventAdmin(admin);
        int sentBefore = admin.sent.size();
        assertTrue(meta.refresh("ev"));
        await("the second refresh's RUNNING").until(() -> running(stays, "ev").size() == 3);
        assertTrue(meta.refresh("ev")); // its events are delivered after those of the second refresh, in order
        await("the third refresh's RUNNING").until(() -> running(stays, "ev").size() == 4);
        assertEquals(sentBefore, admin.sent.size(), "an unbound EventAdmin is sent nothing");
    }

    @Test
    void aRefreshIsAuditedWithWhoAskedAndTheConfigRevisionItReads() {
        RecordingEventAdmin admin = new RecordingEventAdmin();
        meta.setEventAdmin(admin);
        meta.register(TestServices.source("au", 0, () -> new Simple("au")));
        awaitState("au", ServiceState.RUNNING);
        long revision = globs.get(meta.info("au").orElseThrow().configGlob()).map(g -> g.revision()).orElse(0L);
        assertTrue(meta.refresh("au", new io.jsorc.api.config.Origin("dora", "http", "n3")));
        assertFalse(meta.refresh("nope", new io.jsorc.api.config.Origin("dora", "http", "n3")));
        assertTrue(meta.refresh("meta", new io.jsorc.api.config.Origin("erin", "console", "n3")));
        await("two audit events").until(() -> admin.sent.stream()
                .filter(e -> e.getTopic().equals("jsorc/audit/SERVICE_REFRESH")).count() == 2);
        List<Event> audits = admin.sent.stream().filter(e -> e.getTopic().equals("jsorc/audit/SERVICE_REFRESH"))
                .toList();
        Event au = audits.stream().filter(e -> "au".equals(e.getProperty("target"))).findFirst().orElseThrow();
        assertEquals("dora", au.getProperty("origin.actor"));
        assertEquals("http", au.getProperty("origin.source"));
        assertEquals(revision, au.getProperty("revision"));
        assertEquals("{\"state\":\"RUNNING\"}", au.getProperty("value"), "recorded after the refresh, with its outcome");
        assertTrue(audits.stream().anyMatch(e -> "meta".equals(e.getProperty("target"))
                && "erin".equals(e.getProperty("origin.actor"))));
    }

    @Test
    void withoutServiceReferencesTheHigherRankingAndThenTheOlderRegistrationComeFirst() {
        ServiceSource low = TestServices.source("r", 1, () -> new Simple("low"));
        ServiceSource high = TestServices.source("r", 5, () -> new Simple("high"));
        ServiceSource highLater = TestServices.source("r", 5, () -> new Simple("high later"));
        List<ServiceSource> sources = new ArrayList<>(List.of(highLater, low, high));
        Collections.sort(sources);
        assertEquals(List.of(high, highLater, low), sources);
        assertTrue(high.compareTo(highLater) < 0 && highLater.compareTo(high) > 0);
        assertEquals(0, high.compareTo(high));
    }

    @Test
    void aDepartedRegistrationGetsItsInstanceBackAndNothingStaysLive() {
        List<CommonService<?>> handedBack = new CopyOnWriteArrayList<>();
        ServiceSource source = new ServiceSource("back", 7_001, 0, "test.bundle.back", "BACK_CONFIG", "BACK_MANIFEST",
                Duration.ofSeconds(5), Duration.ofSeconds(5), () -> new Simple("back"), handedBack::add, null);
        meta.register(source);
        awaitState("back", ServiceState.RUNNING);
        CommonService<?> service = meta.getService("back", null);
        assertEquals(1, meta.liveInstances(), "the background instance");
        assertEquals("BACK_MANIFEST", meta.info("back").orElseThrow().manifestGlob());
        meta.unregister(source);
        assertEquals(List.of(service), handedBack, "handed back once, the instance it built");
        assertSame(service, handedBack.get(0));
        assertEquals(0, meta.liveInstances());
    }

    @Test
    void aServiceAsksItsHookWhetherAGlobIsStored() {
        globs.set("THERE", "1", null, io.jsorc.api.config.Origin.local("test", "test"));
        List<Boolean> answers = new CopyOnWriteArrayList<>();
        meta.register(TestServices.source("asks", 0, () -> new Simple("asks") {
            @Override
            protected java.util.Map<String, Object> buildConfig(io.jsorc.api.Hook hook) {
                answers.add(hook.hasGlob("THERE"));
                answers.add(hook.hasGlob("NOT_THERE"));
                return super.buildConfig(hook);
            }
        }));
        awaitState("asks", ServiceState.RUNNING);
        assertEquals(List.of(true, false), answers.subList(0, 2));
    }
}
