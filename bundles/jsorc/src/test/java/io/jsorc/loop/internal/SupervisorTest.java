package io.jsorc.loop.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SupervisorTest {

    private static final LoopSettings SETTINGS = LoopSettings.from(Map.of("automation", true, "backoff_interval", 10));

    @Test
    void theBackoffDoublesFromBackoffIntervalUpToItsCapLessAtMostAFifthOfJitter() {
        Supervisor exact = new Supervisor(() -> 0.0);
        List<Long> seconds = List.of(1, 2, 3, 4, 5, 6, 7, 40).stream()
                .map(n -> exact.backoff(n, SETTINGS).toSeconds()).toList();
        assertEquals(List.of(10L, 20L, 40L, 80L, 160L, 300L, 300L, 300L), seconds);
        Supervisor jittered = new Supervisor(() -> 0.999);
        assertEquals(Duration.ofMillis(8_002), jittered.backoff(1, SETTINGS));
        assertEquals(Duration.ofMillis(240_060), jittered.backoff(9, SETTINGS), "never above the cap");
    }

    @Test
    void failuresOutsideTheWindowDoNotCountTowardsQuarantine() {
        Supervisor supervisor = new Supervisor(() -> 0.0);
        Instant t = Instant.parse("2026-11-30T00:00:00Z");
        for (int i = 0; i < 4; i++) {
            assertFalse(supervisor.failed("s", t.plusSeconds(i * 200L), SETTINGS).quarantined());
        }
        assertEquals(3, supervisor.failed("s", t.plusSeconds(800), SETTINGS).failures(),
                "only the failures at 400, 600 and 800 s are within 600 s");
        Supervisor.Outcome fifth = supervisor.failed("s", t.plusSeconds(850), SETTINGS);
        assertEquals(4, fifth.failures());
        assertTrue(supervisor.failed("s", t.plusSeconds(900), SETTINGS).quarantined(), "5 within 600 s");
        assertTrue(supervisor.forget("s"), "forget says it was quarantined");
        assertEquals(null, supervisor.blocked("s", t.plusSeconds(900)));
    }

    @Test
    void onlyTheInstanceSeenRunningCountsAsCrashedAndARunningOneLeavesQuarantine() {
        Supervisor supervisor = new Supervisor(() -> 0.0);
        Instant t = Instant.parse("2026-11-30T00:00:00Z");
        Object first = new Object();
        assertFalse(supervisor.running("s", first, t, SETTINGS), "not quarantined");
        assertFalse(supervisor.crashed("s", new Object()), "another instance (rebuilt, replaced) is no crash");
        supervisor.running("s", first, t, SETTINGS);
        assertTrue(supervisor.crashed("s", first));
        assertFalse(supervisor.crashed("s", first), "counted once");
        LoopSettings strict = LoopSettings.from(Map.of("automation", true, "crash_loop_limit", 1));
        assertTrue(supervisor.failed("s", t, strict).quarantined());
        assertTrue(supervisor.running("s", first, t.plusSeconds(5), strict), "found running: out of quarantine");
        assertEquals(null, supervisor.blocked("s", t.plusSeconds(5)));
    }

    @Test
    void keepAliveNeverHoldsMeta() {
        LoopSettings settings = LoopSettings.from(Map.of("keep_alive", List.of("meta", "redis")));
        assertEquals(List.of("redis"), settings.keepAlive());
        assertEquals(List.of("keep_alive holds meta, which MetaService runs itself (skipped)"), settings.problems());
    }

    @Test
    void badSettingsFallBackToTheirDefaultsAndSaySo() {
        LoopSettings bad = LoopSettings.from(Map.of("automation", "yes", "backoff_interval", 0, "backoff_max", 1.5,
                "keep_alive", List.of("redis", 7, "redis"), "namespace", ""));
        assertFalse(bad.automation());
        assertEquals(10, bad.backoffInterval());
        assertEquals(300, bad.backoffMax());
        assertEquals(List.of("redis"), bad.keepAlive());
        assertEquals("default", bad.namespace());
        assertEquals(5, bad.problems().size(), bad.problems().toString());
        assertTrue(bad.problems().contains("backoff_interval must be a whole number of at least 1, not 0 (10 used)"),
                bad.problems().toString());
    }
}
