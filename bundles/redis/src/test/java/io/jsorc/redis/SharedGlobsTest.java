package io.jsorc.redis;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jsorc.api.config.GlobException;
import io.jsorc.api.config.GlobException.Reason;
import io.jsorc.api.config.GlobStore;
import io.jsorc.api.config.Origin;
import io.jsorc.api.config.StoredGlob;
import io.jsorc.api.event.GlobEvent;
import io.jsorc.globs.internal.glob.GlobStoreImpl;
import io.jsorc.api.CommonService;
import io.jsorc.api.Hook;
import io.jsorc.api.spi.ClusterRefresh;
import io.jsorc.redis.internal.shared.RedisGlobTier;
import io.jsorc.redis.internal.shared.RefreshBus;
import io.jsorc.testkit.TestKit;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.XAddParams;

/**
 * Several nodes (a glob store each, with its own local tier and its own follower) on one real {@code redis-server}:
 * the shared tier's rules from docs/globs.md, including Redis killed during edits from two nodes.
 */
class SharedGlobsTest {

    /** Short, so that tests do not wait 5 s after each (re)start of Redis; long enough for every node to seed. */
    static final long SEEDING_WINDOW_MS = 300;

    private static final Origin ALICE = new Origin("alice", "console", "A");
    private static final Origin BOB = new Origin("bob", "http", "B");

    @TempDir
    Path dir;
    private RedisServer redis;
    private final List<Node> nodes = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        redis = new RedisServer().start();
    }

    @AfterEach
    void stop() throws Exception {
        for (Node node : List.copyOf(nodes)) {
            node.close();
        }
        redis.close();
    }

    /** One node: its local tier survives {@link #close} so it can be started again on it. */
    final class Node implements AutoCloseable {
        final String name;
        final LocalTier local;
        final TestKit kit = TestKit.create(); // a real MetaService over a real glob store
        final GlobStoreImpl store = (GlobStoreImpl) kit.globs();
        final long window;
        final int streamMax;
        volatile RedisGlobTier tier;
        volatile RefreshBus refreshes;
        final List<GlobEvent> events = new CopyOnWriteArrayList<>();

        Node(String name, LocalTier local) {
            this(name, local, SEEDING_WINDOW_MS);
        }

        Node(String name, LocalTier local, long window) {
            this(name, local, window, 10000);
        }

        Node(String name, LocalTier local, long window, int streamMax) {
            this.name = name;
            this.local = local;
            this.window = window;
            this.streamMax = streamMax;
            store.addTier(local);
            store.addListener(events::add);
            resume();
            nodes.add(this);
        }

        /** Stops following the shared store (the node's store, with its memory of deletes, stays). */
        void pause() {
            store.removeTier(tier);
            refreshes.close();
            tier.close();
        }

        /** Follows the shared store again, with what it remembers of it. */
        void resume() {
            tier = new RedisGlobTier(new RedisGlobTier.Settings("127.0.0.1", redis.port, 1, "", "", false, 2000,
                    streamMax, window, dir.resolve(name + ".properties")), name);
            refreshes = new RefreshBus(tier, kit::meta, 0);
            store.addTier(tier);
        }

        Node ready() {
            await(name + " in sync with the shared store").atMost(Duration.ofSeconds(10)).until(tier::ready);
            return this;
        }

        long rev(String glob) {
            return store.get(glob).map(v -> v.revision()).orElse(0L);
        }

        String json(String glob) {
            return store.get(glob).map(v -> v.json()).orElse(null);
        }

        @Override
        public void close() {
            if (nodes.remove(this)) {
                store.removeTier(tier);
                refreshes.close();
                tier.close();
                kit.close();
            }
        }
    }

    private Node node(String name) {
        return new Node(name, new LocalTier()).ready();
    }

    private Jedis jedis() {
        Jedis jedis = new Jedis("127.0.0.1", redis.port);
        jedis.select(1);
        return jedis;
    }

    @Test
    void aChangeOnOneNodeIsSeenOnTheOtherAsItIsAndStaysReadableWithHget() {
        Node a = node("A");
        Node b = node("B");
        long rev = a.store.set("PAY_CONFIG", "{\"enabled\":true,\"key\":\"k1\"}", null, ALICE);
        await("B holds revision " + rev).atMost(Duration.ofSeconds(5)).until(() -> b.rev("PAY_CONFIG") == rev);
        StoredGlob onB = b.local.data.get("PAY_CONFIG");
        assertEquals(ALICE, onB.origin(), "applied as it is: same origin, not a new edit");
        assertEquals(a.local.data.get("PAY_CONFIG").time(), onB.time(),
                "and the same time, to the nanosecond");
        assertEquals(rev, onB.revision());
        try (Jedis jedis = jedis()) {
            assertEquals("{\"enabled\":true,\"key\":\"k1\"}", jedis.hget("global", "PAY_CONFIG"));
        }
        assertEquals(1, b.events.stream().filter(e -> e.name().equals("PAY_CONFIG")).count());
        assertEquals(rev, a.rev("PAY_CONFIG"), "A was not changed back by its own change");
    }

    /** A service that counts its runs. */
    static final class Counter extends CommonService<String> {
        final AtomicInteger runs = new AtomicInteger();

        @Override
        protected Map<String, Object> buildConfig(Hook hook) {
            return hook.serviceGlob("COUNTER_CONFIG", Map.of("enabled", true, "quiet", true));
        }

        @Override
        protected String run(Hook hook) {
            runs.incrementAndGet();
            return "up";
        }
    }

    @Test
    void aRefreshOnOneNodeRefreshesTheServiceOnTheOthersAndReportsWhoDid() {
        Node a = node("A");
        Node b = node("B");
        Counter onB = new Counter();
        b.kit.register("counter", () -> onB);
        await("counter running on B").atMost(Duration.ofSeconds(5)).until(() -> onB.runs.get() == 1);
        await("B announced itself alive").atMost(Duration.ofSeconds(10)).until(() -> {
            try (Jedis jedis = jedis()) {
                return jedis.hget("jsorc:nodes", "B") != null;
            }
        });
        ClusterRefresh.Acks acks = a.refreshes.refreshOthers("counter", ALICE, Duration.ofSeconds(10));
        assertEquals(List.of("B"), acks.acknowledged());
        assertEquals(List.of(), acks.missing());
        assertEquals(2, onB.runs.get(), "B's service ran again");
        b.close(); // a node that left is not waited for; one that is alive but does not answer is named
        try (Jedis jedis = jedis()) {
            assertEquals(null, jedis.hget("jsorc:nodes", "B"), "B took itself off the live nodes");
            jedis.hset("jsorc:nodes", "C", "some-instance " + System.currentTimeMillis());
        }
        ClusterRefresh.Acks alone = a.refreshes.refreshOthers("counter", ALICE, Duration.ofMillis(300));
        assertEquals(List.of(), alone.acknowledged());
        assertEquals(List.of("C"), alone.missing());
    }

    @Test
    void aClosedNodeLeavesNoThreadAndNoConnection() {
        Node a = node("A");
        a.store.set("X_CONFIG", "{\"n\":1}", null, ALICE);
        a.refreshes.refreshOthers("x", ALICE, Duration.ofMillis(10));
        try (Jedis jedis = jedis()) {
            assertTrue(jedis.clientList().contains("name=jsorc-globs"), "A is connected");
        }
        a.close();
        await("no follower or refresh thread left").atMost(Duration.ofSeconds(10)).until(() -> Thread.getAllStackTraces()
                .keySet().stream().noneMatch(t -> t.isAlive() && (t.getName().equals("jsorc/glob-follower")
                        || t.getName().equals("jsorc/refresh-everywhere"))));
        await("no connection of A left").atMost(Duration.ofSeconds(10)).until(() -> {
            try (Jedis jedis = jedis()) {
                return !jedis.clientList().contains("name=jsorc-globs");
            }
        });
    }

    @Test
    void aStaleCompareAndSetIsRefusedNamingTheCurrentRevision() {
        Node a = node("A");
        Node b = node("B");
        long r1 = a.store.set("X_CONFIG", "{\"n\":1}", GlobStore.ABSENT, ALICE);
        await().atMost(Duration.ofSeconds(5)).until(() -> b.rev("X_CONFIG") == r1);
        a.store.set("X_CONFIG", "{\"n\":2}", r1, ALICE);
        GlobException stale = assertThrows(GlobException.class,
                () -> b.store.set("X_CONFIG", "{\"n\":3}", r1, BOB));
        assertEquals(Reason.STALE_REVISION, stale.reason());
        assertTrue(stale.getMessage().contains("revision " + (r1 + 1)), stale.getMessage());
        await().atMost(Duration.ofSeconds(5)).until(() -> "{\"n\":2}".equals(b.json("X_CONFIG")));
    }

    @Test
    void aStoppedNodeReplaysWhatItMissed() {
        Node a = node("A");
        LocalTier bLocal = new LocalTier();
        Node b = new Node("B", bLocal).ready();
        long r = a.store.set("X_CONFIG", "{\"n\":0}", null, ALICE);
        await().atMost(Duration.ofSeconds(5)).until(() -> b.rev("X_CONFIG") == r);
        b.close();
        for (int i = 1; i <= 3; i++) {
            a.store.set("X_CONFIG", "{\"n\":" + i + "}", null, ALICE);
        }
        Node b2 = new Node("B", bLocal).ready();
        await("B replayed three edits").atMost(Duration.ofSeconds(5)).until(() -> b2.rev("X_CONFIG") == r + 3);
        assertEquals("{\"n\":3}", b2.json("X_CONFIG"));
        assertEquals(List.of(r + 1, r + 2, r + 3), b2.events.stream().filter(e -> e.name().equals("X_CONFIG"))
                .map(GlobEvent::newRevision).toList(), "each missed revision applied once, in order");
        assertEquals(r + 4, b2.store.set("X_CONFIG", "{\"n\":4}", r + 3, BOB), "B writes again after its restart");
        await().atMost(Duration.ofSeconds(5)).until(() -> a.rev("X_CONFIG") == r + 4);
    }

    @Test
    void aNodeWhoseMissedEntriesWereTrimmedResyncsFromTheHashes() {
        Node a = new Node("A", new LocalTier(), SEEDING_WINDOW_MS, 100).ready();
        Node b = new Node("B", new LocalTier(), SEEDING_WINDOW_MS, 100).ready();
        long r = a.store.set("X_CONFIG", "{\"n\":0}", null, ALICE);
        a.store.set("Y_CONFIG", "{\"y\":0}", null, ALICE);
        await().atMost(Duration.ofSeconds(5)).until(() -> b.rev("X_CONFIG") == r && b.rev("Y_CONFIG") == 1);
        b.pause();
        for (int i = 1; i <= 500; i++) {
            a.store.set("X_CONFIG", "{\"n\":" + i + "}", null, ALICE);
        }
        a.store.delete("Y_CONFIG", 1L, ALICE);
        try (Jedis jedis = jedis()) {
            assertTrue(jedis.xlen("jsorc:changes") < 400, "the stream was trimmed (MAXLEN ~ 100)");
        }
        int before = b.events.size();
        b.resume();
        b.ready();
        await("B caught up").atMost(Duration.ofSeconds(5))
                .until(() -> b.rev("X_CONFIG") == r + 500 && !b.store.exists("Y_CONFIG"));
        assertEquals("{\"n\":500}", b.json("X_CONFIG"));
        assertTrue(b.events.size() - before < 100, "a resync, not a replay of 500 entries: "
                + (b.events.size() - before) + " events");
    }

    @Test
    void anOutsideEditOnOneNodeReachesTheOtherExactlyOnce() {
        Node a = node("A");
        Node b = node("B");
        long r = setOnAReadOnB(a, b);
        long streamBefore;
        try (Jedis jedis = jedis()) {
            streamBefore = jedis.xlen("jsorc:changes");
        }
        Origin file = new Origin("operator", "file", "B");
        b.local.editBehindTheBack(new StoredGlob("X_CONFIG", "{\"n\": 5}", r, Instant.now(), file));
        await("A has the edit").atMost(Duration.ofSeconds(5)).until(() -> a.rev("X_CONFIG") == r + 1);
        assertEquals("{\"n\":5}", a.json("X_CONFIG"));
        assertEquals(file, a.local.data.get("X_CONFIG").origin());
        await("B took its own edit as revision " + (r + 1)).atMost(Duration.ofSeconds(5))
                .until(() -> b.local.data.get("X_CONFIG").revision() == r + 1);
        try (Jedis jedis = jedis()) {
            assertEquals(streamBefore + 1, jedis.xlen("jsorc:changes"), "one change, no echo");
            assertEquals(Long.toString(r + 1), jedis.hget("jsorc:rev", "X_CONFIG"));
        }
    }

    @Test
    void anOutsideEditOnAnOldRevisionIsUndone() {
        Node a = node("A");
        Node b = node("B");
        long r = a.store.set("X_CONFIG", "{\"n\":1}", null, ALICE);
        a.store.set("X_CONFIG", "{\"n\":2}", r, ALICE);
        await().atMost(Duration.ofSeconds(5)).until(() -> b.rev("X_CONFIG") == r + 1);
        b.local.editBehindTheBack(new StoredGlob("X_CONFIG", "{\"n\":9}", r, Instant.now(),
                new Origin("operator", "file", "B")));
        await("B's stale edit undone").atMost(Duration.ofSeconds(5))
                .until(() -> "{\"n\":2}".equals(b.local.data.get("X_CONFIG").json()));
        assertEquals(r + 1, a.rev("X_CONFIG"));
        assertEquals("{\"n\":2}", a.json("X_CONFIG"));
    }

    @Test
    void aJoiningNodeAdoptsTheSharedValuesAndKeepsItsOwnInHistory() {
        Node a = node("A");
        a.store.set("X_CONFIG", "{\"n\":1}", null, ALICE);
        LocalTier cLocal = new LocalTier(); // a node that ran on its own, with a higher revision
        cLocal.data.put("X_CONFIG", new StoredGlob("X_CONFIG", "{\"n\":42}", 7, Instant.now(), BOB));
        cLocal.data.put("ONLY_C", new StoredGlob("ONLY_C", "{\"c\":1}", 3, Instant.now(), BOB));
        Node c = new Node("C", cLocal).ready();
        assertEquals("{\"n\":1}", c.json("X_CONFIG"), "Redis's value, not C's higher revision");
        assertEquals(1, c.rev("X_CONFIG"));
        List<StoredGlob> history = c.store.history("X_CONFIG");
        assertTrue(history.stream().anyMatch(h -> h.json().equals("{\"n\":42}") && h.origin().source().equals("join")),
                history.toString());
        await("C's own glob shared").atMost(Duration.ofSeconds(5)).until(() -> a.rev("ONLY_C") == 3);
    }

    @Test
    void withRedisDownWritesAreRefusedReadsGoOnAndDefaultsAreStoredWhenItIsBack() throws Exception {
        Node a = node("A");
        Node b = node("B");
        long r = setOnAReadOnB(a, b);
        redis.kill();
        GlobException refused = assertThrows(GlobException.class,
                () -> a.store.set("X_CONFIG", "{\"n\":2}", null, ALICE));
        assertEquals(Reason.STORAGE, refused.reason());
        assertTrue(refused.getMessage().contains("Nothing changed") || refused.getMessage().contains("nothing changed"),
                refused.getMessage());
        assertEquals("{\"n\":1}", a.json("X_CONFIG"), "reads go on");
        Map<String, Object> defaults = a.store.serviceGlob("NEW_CONFIG", Map.of("enabled", true), ALICE);
        assertEquals(true, defaults.get("enabled"));
        assertFalse(a.store.exists("NEW_CONFIG"), "served unstored");
        redis.start(); // empty: it lost everything
        await("both nodes seeded Redis again and NEW_CONFIG is stored").atMost(Duration.ofSeconds(10))
                .until(() -> b.rev("NEW_CONFIG") > 0 && a.tier.ready() && b.tier.ready());
        try (Jedis jedis = jedis()) {
            assertEquals("{\"n\":1}", jedis.hget("global", "X_CONFIG"));
            assertEquals(Long.toString(r), jedis.hget("jsorc:rev", "X_CONFIG"));
        }
        assertEquals(r + 1, a.store.set("X_CONFIG", "{\"n\":2}", r, ALICE));
    }

    /** X_CONFIG = {"n":1} written on A and read on B; its revision. */
    private long setOnAReadOnB(Node a, Node b) {
        long r = a.store.set("X_CONFIG", "{\"n\":1}", null, ALICE);
        await("B holds X_CONFIG revision " + r).atMost(Duration.ofSeconds(5)).until(() -> b.rev("X_CONFIG") == r);
        return r;
    }

    /** Waits until hash {@code global} holds {@code json} for {@code name}. */
    private void awaitInRedis(String name, String json, String what, int seconds) {
        await(what).atMost(Duration.ofSeconds(seconds)).until(() -> {
            try (Jedis jedis = jedis()) {
                return json.equals(jedis.hget("global", name));
            }
        });
    }

    /** Waits until the seeding window Redis keeps is over (Redis's own clock). */
    private void seedingOver() {
        await("the seeding window over").atMost(Duration.ofSeconds(15)).until(() -> {
            try (Jedis jedis = jedis()) {
                String until = jedis.get("jsorc:seeding");
                List<String> time = jedis.time();
                long now = Long.parseLong(time.get(0)) * 1000 + Long.parseLong(time.get(1)) / 1000;
                return until == null || Long.parseLong(until) <= now;
            }
        });
    }

    @Test
    void afterARestartWritesWaitForEveryNodeToSeedAndTwoValuesOfOneRevisionConverge() throws Exception {
        Node a = new Node("A", new LocalTier(), 3000).ready();
        Node b = new Node("B", new LocalTier(), 3000).ready();
        long r = setOnAReadOnB(a, b);
        b.pause();
        // B's copy differs under the same revision (as when B wrote while A had not given back a restarted store)
        b.local.data.put("X_CONFIG", new StoredGlob("X_CONFIG", "{\"n\":2}", r, Instant.now(), BOB));
        redis.kill();
        redis.start();
        await("A seeded the restarted Redis").atMost(Duration.ofSeconds(10)).until(a.tier::ready);
        GlobException waiting = assertThrows(GlobException.class,
                () -> a.store.set("Y_CONFIG", "{\"y\":1}", null, ALICE));
        assertEquals(Reason.STORAGE, waiting.reason());
        assertTrue(waiting.getMessage().contains("seeding it again"), waiting.getMessage());
        b.resume();
        b.ready();
        await("both hold one value of revision " + r).atMost(Duration.ofSeconds(10))
                .until(() -> java.util.Objects.equals(a.json("X_CONFIG"), b.json("X_CONFIG"))
                        && a.rev("X_CONFIG") == r && b.rev("X_CONFIG") == r);
        assertEquals(a.json("X_CONFIG"), b.local.data.get("X_CONFIG").json(), "B's local copy converged too");
        seedingOver();
        assertEquals(1, a.store.set("Y_CONFIG", "{\"y\":1}", null, ALICE));
    }

    @Test
    void aDeleteGivenBackAfterARestartBeatsTheSameRevisionGivenBackByANodeThatMissedIt() throws Exception {
        Node a = node("A");
        Node b = node("B");
        long r = setOnAReadOnB(a, b);
        b.pause();                                   // B misses the delete
        a.store.delete("X_CONFIG", r, ALICE);
        a.pause();
        redis.kill();
        redis.start();                               // empty: the delete is only in A's memory now
        b.resume();
        b.ready();                                   // B gives X back first, at the deleted revision
        a.resume();
        a.ready();                                   // then A gives the delete back
        await("X deleted on both").atMost(Duration.ofSeconds(10))
                .until(() -> !a.store.exists("X_CONFIG") && !b.store.exists("X_CONFIG"));
        try (Jedis jedis = jedis()) {
            assertEquals(null, jedis.hget("global", "X_CONFIG"));
        }
    }

    @Test
    void aStreamEntryThatCannotBeReadIsSkippedAndTheNextOnesApplied() {
        Node a = node("A");
        Node b = node("B");
        try (Jedis jedis = jedis()) {
            jedis.xadd("jsorc:changes", XAddParams.xAddParams(),
                    Map.of("op", "set", "name", "BAD_CONFIG", "rev", "not-a-number", "json", "{}"));
            jedis.xadd("jsorc:changes", XAddParams.xAddParams(),
                    Map.of("op", "del", "rev", "3"));
        }
        long r = a.store.set("X_CONFIG", "{\"n\":1}", null, ALICE);
        await("B applied the next change").atMost(Duration.ofSeconds(5)).until(() -> b.rev("X_CONFIG") == r);
        assertFalse(b.store.exists("BAD_CONFIG"));
        assertTrue(b.tier.ready());
    }

    @Test
    void aWriteWhoseLocalCopyFailedIsCommittedAndSaysSo() {
        Node a = node("A");
        Node b = node("B");
        a.local.failWrites = true;
        String answer = new io.jsorc.globs.internal.config.ConfigApiImpl(a.store)
                .configSet("X_CONFIG", "{\"n\":1}", false, null, ALICE).message();
        assertTrue(answer.contains("committed to the shared store; this node's local copy is pending"), answer);
        assertEquals("{\"n\":1}", a.json("X_CONFIG"), "A reads it");
        await("B has it").atMost(Duration.ofSeconds(5)).until(() -> b.rev("X_CONFIG") == 1);
        a.local.failWrites = false;
        await("A's local copy written by its resync").atMost(Duration.ofSeconds(5))
                .until(() -> a.local.data.containsKey("X_CONFIG"));
        assertFalse(a.store.localCopyPending("X_CONFIG", 1));
    }

    @Test
    void aStoreEmptiedUnderALiveConnectionIsGivenBackAndWritesGoOn() {
        Node a = node("A");
        Node b = node("B");
        long r = setOnAReadOnB(a, b);
        try (Jedis jedis = jedis()) {
            jedis.flushDB(); // the connections stay up
        }
        GlobException refused = assertThrows(GlobException.class,
                () -> a.store.set("X_CONFIG", "{\"n\":2}", r, ALICE));
        assertEquals(Reason.STORAGE, refused.reason());
        awaitInRedis("X_CONFIG", "{\"n\":1}", "X given back to the emptied store", 10);
        seedingOver();
        await("A takes writes again").atMost(Duration.ofSeconds(10)).ignoreExceptions()
                .until(() -> a.store.set("X_CONFIG", "{\"n\":2}", r, ALICE) == r + 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> b.rev("X_CONFIG") == r + 1);
    }

    @Test
    void aStoreEmptiedWhileNobodyWritesIsNoticedByTheFollowers() {
        Node a = node("A");
        Node b = node("B");
        long r = setOnAReadOnB(a, b);
        try (Jedis jedis = jedis()) {
            jedis.flushDB(); // the connections stay up and nobody writes: the followers' own check finds it
        }
        awaitInRedis("X_CONFIG", "{\"n\":1}", "X given back without any write", 15);
    }

    @Test
    void whatANodeWroteWhileNotFollowingIsGivenToTheStore() {
        Node a = node("A");
        Node b = node("B");
        long r = setOnAReadOnB(a, b);
        a.pause(); // as at boot, before the shared store's bundle started: writes are this node's only
        long local = a.store.set("X_CONFIG", "{\"n\":2}", r, ALICE);
        a.store.set("Y_CONFIG", "{\"y\":1}", null, ALICE);
        a.resume();
        a.ready();
        await("B has what A wrote meanwhile").atMost(Duration.ofSeconds(5))
                .until(() -> b.rev("X_CONFIG") == local && b.rev("Y_CONFIG") == 1);
        assertEquals("{\"n\":2}", b.json("X_CONFIG"));
    }

    @Test
    void aGlobThisNodeCannotReadDoesNotStopTheOthers() {
        Node a = node("A");
        Node b = node("B");
        b.local.failReadOf = "BROKEN_CONFIG";
        a.store.set("BROKEN_CONFIG", "{\"b\":1}", null, ALICE);
        long r = a.store.set("X_CONFIG", "{\"n\":1}", null, ALICE);
        await("B applied the next change").atMost(Duration.ofSeconds(5)).until(() -> b.rev("X_CONFIG") == r);
        assertTrue(b.tier.ready(), "B still takes writes");
        b.store.set("Z_CONFIG", "{\"z\":1}", null, BOB);
        b.local.failReadOf = null;
        b.tier.resync();
        await("B has the glob it could not read once it can").atMost(Duration.ofSeconds(5))
                .until(() -> b.local.data.containsKey("BROKEN_CONFIG"));
    }

    @Test
    void aNodeStoppedWhileALocalCopyWasMissingReadsTheStoreAtItsNextStart() throws Exception {
        Node a = node("A");
        LocalTier bLocal = new LocalTier();
        Node b = new Node("B", bLocal).ready();
        bLocal.failWrites = true;
        long r = a.store.set("X_CONFIG", "{\"n\":1}", null, ALICE);
        Path state = dir.resolve("B.properties");
        await("B remembers that its local copy missed a change").atMost(Duration.ofSeconds(10))
                .until(() -> java.nio.file.Files.isRegularFile(state)
                        && java.nio.file.Files.readString(state).contains("dirty=true"));
        b.close();                                   // stopped before any retry took it
        assertFalse(bLocal.data.containsKey("X_CONFIG"));
        bLocal.failWrites = false;
        Node b2 = new Node("B", bLocal).ready();     // a new run of B on the same local tier and state
        await("B's local copy written at its start").atMost(Duration.ofSeconds(5))
                .until(() -> bLocal.data.containsKey("X_CONFIG") && bLocal.data.get("X_CONFIG").revision() == r);
        await("clean again").atMost(Duration.ofSeconds(5))
                .until(() -> java.nio.file.Files.readString(state).contains("dirty=false"));
        assertEquals("{\"n\":1}", b2.json("X_CONFIG"));
    }

    @Test
    void aLocalCopyThatFailedIsWrittenByTheNextResync() {
        Node a = node("A");
        Node b = node("B");
        b.local.failWrites = true;
        long r = a.store.set("X_CONFIG", "{\"n\":1}", null, ALICE);
        await("B reads it (memory)").atMost(Duration.ofSeconds(5)).until(() -> b.rev("X_CONFIG") == r);
        assertFalse(b.local.data.containsKey("X_CONFIG"), "B's local copy failed");
        b.local.failWrites = false;
        b.tier.resync();
        await("B's local copy written by the resync").atMost(Duration.ofSeconds(5))
                .until(() -> b.local.data.containsKey("X_CONFIG") && b.local.data.get("X_CONFIG").revision() == r);
    }

    @Test
    void redisRestartedFromAnOlderSnapshotIsGivenTheNewerRevisionsBack() throws Exception {
        redis.close();
        redis = new RedisServer("--dir", dir.toString(), "--dbfilename", "older.rdb").start();
        Node a = node("A");
        Node b = node("B");
        long r = setOnAReadOnB(a, b);
        try (Jedis jedis = jedis()) {
            assertEquals("OK", jedis.save());
        }
        for (int i = 2; i <= 4; i++) {
            b.store.set("X_CONFIG", "{\"n\":" + i + "}", null, BOB);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> a.rev("X_CONFIG") == r + 3);
        redis.kill();
        redis.start();                                // loads the snapshot: revision r
        await("Redis given revision " + (r + 3) + " back").atMost(Duration.ofSeconds(10)).until(() -> {
            try (Jedis jedis = jedis()) {
                return Long.toString(r + 3).equals(jedis.hget("jsorc:rev", "X_CONFIG"));
            }
        });
        assertEquals("{\"n\":4}", a.json("X_CONFIG"));
        assertEquals("{\"n\":4}", b.json("X_CONFIG"));
        for (Node node : List.of(a, b)) {
            assertTrue(node.events.stream().filter(e -> e.name().equals("X_CONFIG")).allMatch(e -> e.newRevision() > 0)
                    && isIncreasing(node.events.stream().filter(e -> e.name().equals("X_CONFIG"))
                            .map(GlobEvent::newRevision).toList()), node.name + ": " + node.events);
        }
    }

    private static boolean isIncreasing(List<Long> revisions) {
        for (int i = 1; i < revisions.size(); i++) {
            if (revisions.get(i) <= revisions.get(i - 1)) {
                return false;
            }
        }
        return true;
    }

    @Test
    void aDeletedGlobDoesNotComeBackAndIsCreatedAgainAfterItsTombstone() throws Exception {
        Node a = node("A");
        Node b = node("B");
        long r = a.store.set("X_CONFIG", "{\"n\":1}", null, ALICE);
        a.store.set("X_CONFIG", "{\"n\":2}", r, ALICE);
        await().atMost(Duration.ofSeconds(5)).until(() -> b.rev("X_CONFIG") == r + 1);
        b.store.delete("X_CONFIG", r + 1, BOB);
        await("A deleted it").atMost(Duration.ofSeconds(5)).until(() -> !a.store.exists("X_CONFIG"));
        GlobEvent deleted = a.events.get(a.events.size() - 1);
        assertEquals(BOB, deleted.origin(), "A is told who deleted it");
        assertEquals(0, deleted.newRevision());
        try (Jedis jedis = jedis()) {
            assertTrue(jedis.hget("jsorc:tomb", "X_CONFIG").startsWith((r + 1) + "\n"));
            assertEquals(null, jedis.hget("global", "X_CONFIG"));
        }
        a.store.serviceGlob("X_CONFIG", Map.of("n", 0), ALICE);
        assertEquals(r + 2, a.rev("X_CONFIG"), "created again after the tombstone");
        try (Jedis jedis = jedis()) { // a tombstone older than 30 days is forgotten by the next node that shakes hands
            long old = System.currentTimeMillis() - java.util.concurrent.TimeUnit.DAYS.toMillis(31);
            jedis.hset("jsorc:tomb", "OLD_CONFIG", "4\n" + old + "\n{}");
            jedis.hset("jsorc:tomb", "RECENT_CONFIG", "4\n" + (old + java.util.concurrent.TimeUnit.DAYS.toMillis(2))
                    + "\n{}");
        }
        node("C");
        await("the old tombstone forgotten").atMost(Duration.ofSeconds(5)).until(() -> {
            try (Jedis jedis = jedis()) {
                return !jedis.hexists("jsorc:tomb", "OLD_CONFIG");
            }
        });
        try (Jedis jedis = jedis()) {
            assertTrue(jedis.hexists("jsorc:tomb", "RECENT_CONFIG"));
        }
    }

    /**
     * Redis SIGKILLed (no persistence) during edits from two nodes — 1,000 and more, before, while it is away and while
     * the nodes seed it again — then started again: every glob on both nodes is at its highest acknowledged revision
     * or later, both nodes hold the same (so a write that failed is on both or on neither), Redis holds it too, and
     * no node ever saw a revision go down.
     */
    @Test
    void redisKilledDuringEditsFromBothNodesLosesNothingAcknowledged() throws Exception {
        Node a = node("A");
        Node b = node("B");
        List<String> names = List.of("G0_CONFIG", "G1_CONFIG", "G2_CONFIG", "G3_CONFIG", "G4_CONFIG");
        Map<String, Long> acknowledged = new ConcurrentHashMap<>();
        Map<String, String> acknowledgedValue = new ConcurrentHashMap<>(); // name@revision -> the value acknowledged
        AtomicInteger done = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicInteger afterRestart = new AtomicInteger();
        List<String> refusedOtherwise = new CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicBoolean restarted = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        ExecutorService writers = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (Node node : List.of(a, b)) {
                work.add(writers.submit(() -> {
                    for (int i = 0; !stop.get(); i++) {
                        String name = names.get(i % names.size());
                        try {
                            String value = "{\"by\":\"" + node.name + "\",\"i\":" + i + "}";
                            long rev = node.store.set(name, value, null, node.name.equals("A") ? ALICE : BOB);
                            acknowledged.merge(name, rev, Math::max);
                            acknowledgedValue.put(name + "@" + rev, value);
                            if (restarted.get()) {
                                afterRestart.incrementAndGet();
                            }
                        } catch (GlobException e) {
                            if (e.reason() != Reason.STORAGE) {
                                refusedOtherwise.add(e.getMessage()); // last-writer-wins: never stale
                            }
                            failed.incrementAndGet();
                            java.util.concurrent.locks.LockSupport.parkNanos(200_000); // refused at once: pace it
                        }
                        done.incrementAndGet();
                    }
                    return null;
                }));
            }
            await("a third of 1,000 edits made").atMost(Duration.ofSeconds(30)).until(() -> done.get() >= 330);
            redis.kill();
            await("edits refused while Redis is away").atMost(Duration.ofSeconds(30)).until(() -> failed.get() >= 20);
            redis.start();
            restarted.set(true);
            await("1,000 edits made and 200 taken since Redis came back").atMost(Duration.ofSeconds(60))
                    .until(() -> done.get() >= 1000 && afterRestart.get() >= 200);
            stop.set(true);
            for (Future<?> f : work) {
                f.get();
            }
        } finally {
            stop.set(true);
            writers.shutdownNow();
        }
        await("both nodes converge").atMost(Duration.ofSeconds(5)).until(() -> names.stream()
                .allMatch(n -> a.tier.ready() && b.tier.ready() && a.rev(n) == b.rev(n)
                        && java.util.Objects.equals(a.json(n), b.json(n))));
        try (Jedis jedis = jedis()) {
            for (String name : names) {
                long ack = acknowledged.getOrDefault(name, 0L);
                assertTrue(a.rev(name) >= ack, name + ": A at " + a.rev(name) + ", acknowledged " + ack);
                if (a.rev(name) == ack) {
                    assertEquals(acknowledgedValue.get(name + "@" + ack), a.json(name),
                            name + ": the value acknowledged at revision " + ack);
                }
                assertEquals(Long.toString(a.rev(name)), jedis.hget("jsorc:rev", name), name + " in Redis");
                assertEquals(a.json(name), jedis.hget("global", name));
                assertEquals(a.json(name), a.local.data.get(name).json(), name + " in A's local copy");
                assertEquals(a.json(name), b.local.data.get(name).json(), name + " in B's local copy");
            }
        }
        for (Node node : List.of(a, b)) {
            Map<String, Long> seen = new ConcurrentHashMap<>();
            for (GlobEvent event : node.events) {
                long before = seen.getOrDefault(event.name(), 0L);
                assertTrue(event.newRevision() >= before, node.name + ": " + event.name() + " went from " + before
                        + " to " + event.newRevision());
                seen.put(event.name(), event.newRevision());
            }
        }
        assertTrue(failed.get() >= 20, "Redis was away during some edits");
        assertEquals(List.of(), refusedOtherwise, "writes were refused only while Redis was away or being seeded");
    }
}
