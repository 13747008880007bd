package io.jsorc.redis;

import io.jsorc.api.config.Origin;
import io.jsorc.globs.internal.configadmin.ConfigAdminTier;
import io.jsorc.globs.internal.configadmin.FakeConfigAdmin;
import io.jsorc.globs.internal.glob.GlobStoreImpl;
import io.jsorc.redis.internal.shared.RedisGlobTier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Dictionary;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;

/**
 * The shared store's propagation and write throughput, on loopback, in one invocation (bench/shared_bench.sh):
 * two nodes (a glob store each over a Config Admin tier writing its etc/ file durably, as in Karaf, and the Redis
 * tier) on one real {@code redis-server}.
 * <ul>
 *   <li>Propagation: 1,000 edits on A, one at a time; per edit, from A's {@code set} returning (acknowledged) to the
 *       revision being readable in B's store (memory), and to B's Config Admin holding it. Beside it a Pub/Sub-only
 *       variant: HSET + PUBLISH, a subscriber putting the revision in a map.</li>
 *   <li>Throughput: {@code GlobStore.set} through the Java API for 3 s (durable local tier; and a memory one) against
 *       raw Jedis {@code HSET} of the same value for 3 s.</li>
 * </ul>
 */
public final class SharedGlobsBench {

    private static final long SEEDING_WINDOW_MS = 300;

    private static final int EDITS = 1000;
    private static final Origin ME = new Origin("bench", "api", "A");

    /** One node: glob store, Config Admin tier over its own etc/, Redis tier. */
    private record Node(GlobStoreImpl store, FakeConfigAdmin admin, ConfigAdminTier local, RedisGlobTier tier) {
        static Node start(String name, Path dir, int port, boolean durable) throws Exception {
            GlobStoreImpl store = new GlobStoreImpl();
            FakeConfigAdmin admin = new FakeConfigAdmin();
            ConfigAdminTier local = null;
            if (durable) {
                Path etc = Files.createDirectories(dir.resolve(name + "-etc"));
                local = new ConfigAdminTier(admin, etc);
                admin.listeners.add(local);
                store.addTier(local);
            } else {
                store.addTier(new LocalTier());
            }
            RedisGlobTier tier = new RedisGlobTier(new RedisGlobTier.Settings("127.0.0.1", port, 1, "", "", false, 2000,
                    10000, SEEDING_WINDOW_MS, dir.resolve(name + ".properties")), name);
            store.addTier(tier);
            poll(tier::ready, 10_000);
            return new Node(store, admin, local, tier);
        }

        long configAdminRevision(String glob) {
            Dictionary<String, Object> props = admin.getConfiguration("jsorc.glob." + glob, "?").getProperties();
            Object rev = props == null ? null : props.get("jsorc.revision");
            return rev instanceof Long l ? l : 0;
        }

        void close() {
            store.removeTier(tier);
            tier.close();
            if (local != null) {
                local.deactivate();
            }
            store.close();
        }
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("shared-bench");
        try (RedisServer redis = new RedisServer().start()) {
            Node a = Node.start("A", dir, redis.port, true);
            Node b = Node.start("B", dir, redis.port, true);
            String value = "{\"enabled\":true,\"host\":\"db.example\",\"port\":6379,\"n\":%d}";
            long[] memory = new long[EDITS];
            long[] configAdmin = new long[EDITS];
            long[] fromCall = new long[EDITS];
            for (int i = -200; i < EDITS; i++) { // 200 warm-up edits
                long called = System.nanoTime();
                long rev = a.store().set("BENCH_CONFIG", String.format(value, i), null, ME);
                long acked = System.nanoTime();
                poll(() -> b.store().get("BENCH_CONFIG").map(v -> v.revision() >= rev).orElse(false), 5000);
                long inMemory = System.nanoTime();
                poll(() -> b.configAdminRevision("BENCH_CONFIG") >= rev, 5000);
                long inConfigAdmin = System.nanoTime();
                if (i >= 0) {
                    memory[i] = inMemory - acked;
                    configAdmin[i] = inConfigAdmin - acked;
                    fromCall[i] = inMemory - called;
                }
            }
            long[][] pubSub = pubSubOnly(redis.port, String.format(value, 0));
            System.out.println("Propagation A -> B, " + EDITS + " edits one at a time (from acknowledged on A), ms:");
            System.out.println("| path | p50 | p99 | max |");
            System.out.println("|---|---|---|---|");
            row("shared store: readable in B's memory", memory);
            row("shared store: in B's Config Admin (etc/ file fsync'd)", configAdmin);
            row("Pub/Sub only (HSET + PUBLISH, subscriber's map)", pubSub[0]);
            System.out.println();
            System.out.println("The same, from the call on A (A's own durable local copy included), ms:");
            System.out.println("| path | p50 | p99 | max |");
            System.out.println("|---|---|---|---|");
            row("shared store: readable in B's memory", fromCall);
            row("Pub/Sub only: in the subscriber's map", pubSub[1]);

            double durable = throughput(() -> a.store().set("TP_CONFIG", String.format(value, 1), null, ME));
            a.close();
            b.close();
            Node memoryOnly = Node.start("M", dir, redis.port, false);
            double overMemory = throughput(() -> memoryOnly.store().set("TP2_CONFIG", String.format(value, 1), null,
                    ME));
            memoryOnly.close();
            double raw;
            try (Jedis jedis = new Jedis("127.0.0.1", redis.port)) {
                jedis.select(1);
                raw = throughput(() -> jedis.hset("raw", "TP_CONFIG", String.format(value, 1)));
            }
            System.out.println();
            System.out.println("Write throughput, one writer, 3 s each:");
            System.out.println("| writer | ops/s | ratio to raw HSET |");
            System.out.println("|---|---|---|");
            System.out.printf("| GlobStore.set, shared store + durable local Config Admin copy | %.0f | %.3f |%n",
                    durable, durable / raw);
            System.out.printf("| GlobStore.set, shared store + memory local copy | %.0f | %.3f |%n", overMemory,
                    overMemory / raw);
            System.out.printf("| raw Jedis HSET | %.0f | 1 |%n", raw);
        }
    }

    /** Latencies from PUBLISH returning, and from the HSET call, to the subscriber's map. */
    private static long[][] pubSubOnly(int port, String value) throws Exception {
        Map<String, Long> seen = new ConcurrentHashMap<>();
        JedisPubSub subscriber = new JedisPubSub() {
            @Override
            public void onMessage(String channel, String message) {
                seen.merge("BENCH_CONFIG", Long.parseLong(message), Math::max);
            }
        };
        Thread listening = new Thread(() -> {
            try (Jedis sub = new Jedis("127.0.0.1", port)) {
                sub.subscribe(subscriber, "bench");
            }
        });
        listening.start();
        poll(subscriber::isSubscribed, 5000);
        long[] latencies = new long[EDITS];
        long[] fromCall = new long[EDITS];
        try (Jedis jedis = new Jedis("127.0.0.1", port)) {
            jedis.select(1);
            for (int i = -200; i < EDITS; i++) {
                long rev = i + 1000L;
                long called = System.nanoTime();
                jedis.hset("pubsub:global", "PUBSUB_CONFIG", value); // not the shared store's hash
                jedis.publish("bench", Long.toString(rev));
                long acked = System.nanoTime();
                poll(() -> seen.getOrDefault("BENCH_CONFIG", 0L) >= rev, 5000);
                if (i >= 0) {
                    long now = System.nanoTime();
                    latencies[i] = now - acked;
                    fromCall[i] = now - called;
                }
            }
        }
        subscriber.unsubscribe();
        listening.join(5000);
        return new long[][] {latencies, fromCall};
    }

    private static double throughput(Runnable write) {
        long warm = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        while (System.nanoTime() < warm) {
            write.run();
        }
        long n = 0;
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(3);
        while (System.nanoTime() < end) {
            write.run();
            n++;
        }
        return n / ((System.nanoTime() - start) / 1e9);
    }

    private static void row(String name, long[] nanos) {
        List<Long> sorted = new ArrayList<>();
        for (long n : nanos) {
            sorted.add(n);
        }
        Collections.sort(sorted);
        System.out.printf("| %s | %.3f | %.3f | %.3f |%n", name, ms(sorted.get(sorted.size() / 2)),
                ms(sorted.get((int) Math.ceil(sorted.size() * 0.99) - 1)), ms(sorted.get(sorted.size() - 1)));
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    /** A bounded poll (10 µs steps): fails the run when {@code condition} is not met within {@code millis}. */
    private static void poll(BooleanSupplier condition, long millis) {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new IllegalStateException("not reached within " + millis + " ms");
            }
            LockSupport.parkNanos(10_000);
        }
    }
}
