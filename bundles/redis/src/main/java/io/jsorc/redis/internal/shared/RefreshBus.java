package io.jsorc.redis.internal.shared;

import io.jsorc.api.MetaService;
import io.jsorc.api.config.Origin;
import io.jsorc.api.spi.ClusterRefresh;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.StreamEntryID;

/**
 * Refresh everywhere through the shared store's stream: a refresh is an entry ({@code op=refresh}, service, node,
 * origin); every other node that started before it carries it out after a random delay of 0 to
 * {@code refresh_jitter} seconds (so a fleet does not restart a service all at once) and acknowledges it in
 * {@code jsorc:ack:<entry id>} (kept two minutes). The caller waits for the live nodes' acknowledgements.
 *
 * <p>Thread-safety: thread-safe; refreshes run on one scheduler thread, stopped by {@link #close}.
 */
public final class RefreshBus implements ClusterRefresh, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RefreshBus.class);
    static final String ACK = "jsorc:ack:";

    private final RedisGlobTier tier;
    private final Supplier<MetaService> meta;
    private final int jitterSeconds;
    private final ScheduledExecutorService scheduler;

    public RefreshBus(RedisGlobTier tier, Supplier<MetaService> meta, int jitterSeconds) {
        this.tier = tier;
        this.meta = meta;
        this.jitterSeconds = jitterSeconds;
        ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(1, r -> {
            Thread thread = new Thread(r, "jsorc/refresh-everywhere");
            thread.setDaemon(true);
            return thread;
        });
        pool.setRemoveOnCancelPolicy(true);
        this.scheduler = pool;
        tier.otherEntries(this::onEntry);
    }

    /** Never fails: when the store cannot be reached, every other node is reported as not answering. */
    @Override
    public Acks refreshOthers(String service, Origin origin, Duration wait) {
        try {
            return ask(service, origin, wait);
        } catch (RuntimeException e) {
            LOG.warn("The refresh of {} could not be passed to the other nodes: {}", service, e.getMessage());
            return new Acks(List.of(), List.of("every other node (not told: " + e.getMessage() + ")"));
        }
    }

    private Acks ask(String service, Origin origin, Duration wait) {
        List<String> others = new ArrayList<>(tier.liveNodes());
        others.remove(tier.node());
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("op", "refresh");
        fields.put("service", service);
        fields.put("node", tier.node());
        fields.put("meta", Scripts.meta(origin, java.time.Instant.now()));
        String id = tier.publish(fields);
        long deadline = System.nanoTime() + wait.toNanos();
        List<String> acked = new ArrayList<>();
        while (true) { // a bounded poll: until every live node answered or the wait is over
            acked = new ArrayList<>(tier.pool().hkeys(ACK + id));
            acked.sort(null);
            if (acked.containsAll(others) || System.nanoTime() >= deadline) {
                break;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            if (Thread.currentThread().isInterrupted()) {
                break;
            }
        }
        List<String> missing = new ArrayList<>(others);
        missing.removeAll(acked);
        return new Acks(acked, missing);
    }

    /** A stream entry that is not a glob change: a refresh from another node, carried out after the jitter. */
    private void onEntry(String id, Map<String, String> fields) {
        if (!"refresh".equals(fields.get("op")) || tier.node().equals(fields.get("node"))) {
            return;
        }
        if (new StreamEntryID(id).getTime() < tier.startedAt()) {
            return; // published before this node started: it read its settings afresh anyway
        }
        String service = fields.getOrDefault("service", "");
        Origin origin = Scripts.origin(fields.get("meta"));
        long delay = jitterSeconds <= 0 ? 0 : ThreadLocalRandom.current().nextLong(jitterSeconds * 1000L + 1);
        try {
            scheduler.schedule(() -> carryOut(id, service, origin), delay, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            LOG.debug("Refresh of {} not scheduled: closing", service);
        }
    }

    private void carryOut(String id, String service, Origin origin) {
        MetaService services = meta.get();
        if (services == null) {
            LOG.warn("Refresh of {} from {} not carried out: no MetaService on this node", service, origin);
            return;
        }
        try {
            boolean known = services.refresh(service, origin);
            String key = ACK + id;
            tier.pool().hset(key, tier.node(), known ? "refreshed" : "unknown service");
            tier.pool().expire(key, 120);
            LOG.info("Refreshed {} as asked by {}", service, origin);
        } catch (RuntimeException e) {
            LOG.warn("Refresh of {} asked by {} failed: {}", service, origin, e.getMessage());
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            if (!scheduler.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("A refresh asked by another node did not finish within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
