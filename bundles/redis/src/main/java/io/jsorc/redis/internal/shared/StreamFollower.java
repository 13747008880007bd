package io.jsorc.redis.internal.shared;

import static io.jsorc.redis.internal.shared.RedisGlobTier.EPOCH;
import static io.jsorc.redis.internal.shared.RedisGlobTier.FRESH;
import static io.jsorc.redis.internal.shared.RedisGlobTier.GLOBAL;
import static io.jsorc.redis.internal.shared.RedisGlobTier.HISTORY;
import static io.jsorc.redis.internal.shared.RedisGlobTier.HISTORY_KEEP;
import static io.jsorc.redis.internal.shared.RedisGlobTier.META;
import static io.jsorc.redis.internal.shared.RedisGlobTier.NODES;
import static io.jsorc.redis.internal.shared.RedisGlobTier.REV;
import static io.jsorc.redis.internal.shared.RedisGlobTier.RUNID;
import static io.jsorc.redis.internal.shared.RedisGlobTier.SEEDING;
import static io.jsorc.redis.internal.shared.RedisGlobTier.STREAM;
import static io.jsorc.redis.internal.shared.RedisGlobTier.TOMB;
import static io.jsorc.redis.internal.shared.Scripts.list;
import static io.jsorc.redis.internal.shared.Scripts.pairs;
import static io.jsorc.redis.internal.shared.Scripts.str;

import io.jsorc.api.config.Origin;
import io.jsorc.api.config.StoredGlob;
import io.jsorc.api.spi.SharedGlobTier.Replica;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.XReadParams;
import redis.clients.jedis.resps.StreamEntry;

/**
 * One node following the shared store, on its own thread ({@code jsorc/glob-follower}) and connection.
 *
 * <p>On every (re)connection it shakes hands (handshake.lua, with Redis's run id):
 * <ul>
 *   <li>a store without epoch (new, or emptied), or a <em>fresh</em> one (made moments ago by a node that remembered
 *       nothing) while this node remembers an epoch: this node <b>seeds</b> it and resyncs;</li>
 *   <li>another epoch: this node <b>joins</b> it — the store's values replace its own (kept in the history as
 *       source {@code join}), its globs the store lacks are seeded;</li>
 *   <li>its epoch, but a run of Redis this node did not shake hands with (Redis restarted, empty or from an older
 *       snapshot): this node <b>seeds</b> it ("store if absent or of a lower revision", tombstones beating lower
 *       revisions) and resyncs; writes wait the seeding window meanwhile, so every node seeds first;</li>
 *   <li>otherwise it replays the stream from the last id it applied, or resyncs when entries it missed were
 *       trimmed.</li>
 * </ul>
 * What it remembers ({@link NodeState}) is saved only once a handshake succeeded, so an interrupted seed or join is
 * done again. Then it reads the stream ({@code XREAD BLOCK}) and gives each change to the store's {@link Replica} as
 * it is; an entry it cannot read is logged and skipped. Every 5 s it says it is alive ({@code jsorc:nodes}); hourly it
 * forgets tombstones older than 30 days.
 *
 * <p>Thread-safety: its state is confined to its thread; {@link #resync} and {@link #close} may be called from any.
 */
final class StreamFollower implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StreamFollower.class);
    static final long BLOCK_MS = 1000;
    private static final long MAX_BACKOFF_MS = 1000;
    private static final long BEAT_MS = 5000;
    /** A node not heard of for this long is not waited for. */
    static final long LIVE_MS = 30_000;
    /** How long a tombstone beats lower revisions. */
    static final long TOMB_KEEP_MS = TimeUnit.DAYS.toMillis(30);
    private static final long EXPIRE_EVERY_MS = TimeUnit.HOURS.toMillis(1);

    private final RedisGlobTier tier;
    private final Replica replica;
    private final NodeState state;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean resyncWanted;
    private volatile Jedis connection;
    private volatile boolean synced;
    private boolean warned;
    private boolean warnedSameName;
    private long lastBeat;
    private long lastExpiry;
    /** When a failed local apply is next retried by a resync (at most every 30 s). */
    private long retryAt;
    private static final long RETRY_MS = 30_000;

    StreamFollower(RedisGlobTier tier, Replica replica) {
        this.tier = tier;
        this.replica = replica;
        this.state = tier.state;
        this.thread = new Thread(this::loop, "jsorc/glob-follower");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Reads the whole store again soon, without interrupting writes (this node's local copy missed a change). */
    void resync() {
        resyncWanted = true;
        tier.wake();
    }

    /** Shakes hands again (the store's epoch or run changed under a live connection); writes wait meanwhile. */
    void shakeHandsAgain() {
        synced = false;
        tier.wake();
    }

    private void loop() {
        long backoff = 50;
        try {
            while (running) {
                try {
                    Jedis jedis = connection;
                    if (jedis == null) {
                        jedis = new Jedis(new HostAndPort(tier.settings.host(), tier.settings.port()),
                                tier.clientConfig);
                        connection = jedis;
                    }
                    if (!synced) {
                        tier.connecting(true); // first: a write arriving now waits for the handshake
                        tier.synced(null, null);
                        boolean resync = resyncWanted;
                        resyncWanted = false;
                        try {
                            handshake(jedis, resync);
                        } catch (RuntimeException e) {
                            resyncWanted |= resync;
                            throw e;
                        }
                        synced = true;
                        tier.synced(state.epoch, state.runId);
                        tier.connecting(false);
                        if (warned) {
                            LOG.info("The shared glob store ({}) is back: this node is in sync and takes writes",
                                    tier.where());
                            warned = false;
                        }
                        backoff = 50;
                    }
                    if (resyncWanted || (state.dirty && System.currentTimeMillis() >= retryAt)) {
                        resyncWanted = false; // writes go on meanwhile: applying is idempotent under the name locks
                        try {
                            resync(jedis); // the stream goes on from where it was: no entry (a refresh) is skipped
                        } catch (RuntimeException e) {
                            resyncWanted = true;
                            throw e;
                        }
                        state.save();
                    }
                    writable();
                    beat(jedis);
                    expireTombstones(jedis);
                    read(jedis);
                } catch (JedisException e) {
                    if (!running) {
                        break;
                    }
                    lost();
                    if (!warned) {
                        LOG.warn("The shared glob store ({}) is unreachable: {}. Writes are refused until it is back; "
                                + "reads are served from this node", tier.where(), RedisGlobTier.reason(e));
                        warned = true;
                    }
                    tier.pause(backoff);
                    backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
                } catch (RuntimeException e) {
                    if (!running) {
                        break;
                    }
                    lost();
                    LOG.error("Following the shared glob store ({}) failed; reconnecting", tier.where(), e);
                    tier.pause(MAX_BACKOFF_MS);
                }
            }
        } catch (Throwable fatal) {
            LOG.error("The glob follower stopped: this node takes no writes and sees no other node's changes until "
                    + "the shared store is configured again", fatal);
            throw fatal;
        } finally {
            tier.synced(null, null);
            tier.connecting(false);
            closeConnection();
        }
    }

    private void lost() {
        synced = false;
        tier.synced(null, null);
        tier.connecting(false);
        closeConnection();
    }

    /** The store takes writes: defaults served unstored meanwhile are stored now (the replica's business). */
    private void writable() {
        try {
            replica.writable();
        } catch (RuntimeException e) {
            LOG.warn("Storing the defaults served while the shared store was away failed: {}", e.getMessage());
        }
    }

    // ------------------------------------------------------------------------------------------ the stream

    /** Reads the next entries (waiting up to a second) and applies them in order. */
    private void read(Jedis jedis) {
        List<Map.Entry<String, List<StreamEntry>>> got = jedis.xread(
                XReadParams.xReadParams().count(500).block((int) BLOCK_MS),
                Map.of(STREAM, new StreamEntryID(state.lastId)));
        if (got == null) {
            return;
        }
        for (Map.Entry<String, List<StreamEntry>> stream : got) {
            for (StreamEntry entry : stream.getValue()) {
                if (!running || !synced) {
                    state.save();
                    return;
                }
                String id = entry.getID().toString();
                try {
                    if (!apply(id, entry.getFields())) {
                        failedLocally();
                    }
                } catch (JedisException e) {
                    throw e;
                } catch (IllegalArgumentException unreadable) { // not written by us: never retried
                    LOG.error("Skipping stream entry {} of {}: {}", id, STREAM, unreadable.getMessage());
                } catch (RuntimeException e) { // this node's local tier failed: read the store again later
                    LOG.error("Stream entry {} could not be applied on this node ({}); the store is read again "
                            + "later", id, e.getMessage());
                    failedLocally();
                }
                state.lastId = id;
            }
        }
        state.save();
    }

    /** One entry; false when this node's local copy did not take it. */
    private boolean apply(String id, Map<String, String> fields) {
        String op = fields.getOrDefault("op", "");
        switch (op) {
            case "set" -> {
                return replica.apply(Scripts.glob(fields.get("name"), fields.get("json"), fields.get("rev"),
                        fields.get("meta")));
            }
            case "del" -> {
                String name = fields.get("name");
                if (name == null) {
                    throw new IllegalArgumentException("a delete without a name");
                }
                return replica.applyDelete(name, Long.parseLong(fields.getOrDefault("rev", "")),
                        Scripts.origin(fields.get("meta")));
            }
            default -> {
                try {
                    tier.otherEntries().accept(id, fields);
                } catch (RuntimeException e) {
                    LOG.error("Handling the stream entry {} ({}) failed", id, op, e);
                }
                return true;
            }
        }
    }

    /** This node's local copy missed a change: remembered (also across a restart), resynced within 30 s. */
    private void failedLocally() {
        if (!state.dirty) {
            retryAt = System.currentTimeMillis() + RETRY_MS;
        }
        state.dirty = true;
        passFailed = true;
    }

    /** Whether a local apply failed during the resync under way. */
    private boolean passFailed;

    // ------------------------------------------------------------------------------------------ shaking hands

    private void handshake(Jedis jedis, boolean resyncWanted) {
        String runId = runId(jedis);
        List<Object> r = list(evalOn(jedis, "handshake", List.of(EPOCH, RUNID, SEEDING, STREAM, FRESH),
                List.of(state.epoch, UUID.randomUUID().toString(), runId,
                        Long.toString(tier.settings.seedingWindowMs()), state.runId)));
        String epoch = str(r.get(0));
        boolean created = "1".equals(str(r.get(1)));
        boolean fresh = "1".equals(str(r.get(2)));
        String last = str(r.get(3));
        String first = str(r.get(4));
        boolean remembers = !state.epoch.isEmpty();
        String lastId;
        tier.seedingEpoch(epoch);
        if (created || (fresh && remembers && !epoch.equals(state.epoch))) {
            LOG.info(remembers ? "The shared glob store ({}) lost its globs: seeding it from this node"
                    : "The shared glob store ({}) is new: seeding it from this node", tier.where());
            seedFrom(jedis);
            lastId = resync(jedis);
        } else if (!epoch.equals(state.epoch)) {
            LOG.info("Joining the shared glob store ({}): its values replace this node's", tier.where());
            lastId = join(jedis);
        } else if (!runId.equals(state.runId)) {
            LOG.info("The shared glob store ({}) restarted: seeding it with this node's globs", tier.where());
            seedFrom(jedis);
            lastId = resync(jedis);
        } else {
            // what this node wrote while it did not follow (before the tier was bound at boot, or while it was
            // away) goes to the store where it is newer — values only: its old deletes are the store's tombstones
            // already, and an expired one must not come back; then the entries it missed
            seedWritten(jedis);
            boolean trimmed = ("0-0".equals(state.lastId) && !"0-0".equals(last))
                    || (!"0-0".equals(state.lastId) && Scripts.compare(first, state.lastId) > 0);
            if (trimmed) {
                lastId = resync(jedis); // entries it missed are gone: read the whole store, go on from its end
            } else {
                if (resyncWanted || state.dirty) {
                    resync(jedis); // a local copy failed: read the whole store, and still replay what follows
                }
                lastId = state.lastId; // replay from the last id applied (no refresh entry is skipped)
            }
        }
        state.epoch = epoch; // remembered only now: an interrupted seed or join is done again
        state.runId = runId;
        state.lastId = lastId;
        state.save();
    }

    private static String runId(Jedis jedis) {
        for (String line : jedis.info("server").split("\r?\n")) {
            if (line.startsWith("run_id:")) {
                return line.substring("run_id:".length()).trim();
            }
        }
        throw new IllegalStateException("Redis did not tell its run_id (INFO server)");
    }

    /** Seeds this node's values (not its deletes) where newer; a local tier that cannot list them skips it. */
    private void seedWritten(Jedis jedis) {
        List<StoredGlob> local;
        try {
            local = replica.local();
        } catch (JedisException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.error("This node's globs could not be listed to give them to the shared store ({})", e.getMessage());
            return;
        }
        for (StoredGlob glob : local) {
            seed(jedis, glob);
        }
    }

    /** Seeds the store with this node's globs and tombstones: stored where absent or of a lower revision. */
    private void seedFrom(Jedis jedis) {
        for (StoredGlob glob : replica.local()) {
            seed(jedis, glob);
        }
        for (Map.Entry<String, Long> deleted : replica.deleted().entrySet()) {
            List<Object> r = list(evalOn(jedis, "delete", RedisGlobTier.deleteKeys(), List.of(tier.epoch(), "",
                    deleted.getKey(), Long.toString(deleted.getValue()),
                    Scripts.meta(Origin.local("jsorc", "delete"), Instant.now()),
                    Long.toString(System.currentTimeMillis()), Integer.toString(tier.settings.streamMax()), "seed")));
            checkEpoch(r);
        }
    }

    /** One glob of this node into the store (mode seed); a tombstone at or above it deletes it here. */
    private void seed(Jedis jedis, StoredGlob glob) {
        List<Object> r = list(evalOn(jedis, "write", RedisGlobTier.writeKeys(glob.name()), List.of(tier.epoch(), "",
                glob.name(), "0", Long.toString(glob.revision()), glob.json(),
                Scripts.meta(glob.origin(), glob.time()), Integer.toString(tier.settings.streamMax()),
                Integer.toString(HISTORY_KEEP), "seed")));
        checkEpoch(r);
        if ("TOMB".equals(str(r.get(0)))) {
            localDelete(glob.name(), Long.parseLong(str(r.get(1))), new Origin("unknown", "redis", "unknown"));
        }
    }

    private static void checkEpoch(List<Object> r) {
        if ("EPOCH".equals(str(r.get(0)))) {
            throw new IllegalStateException("the shared glob store changed its epoch while being seeded");
        }
    }

    /** Joining another epoch: the store's values replace this node's (kept in the history as source join). */
    private String join(Jedis jedis) {
        Map<String, StoredGlob> mine = new LinkedHashMap<>();
        for (StoredGlob glob : replica.local()) {
            mine.put(glob.name(), glob);
        }
        Snapshot snapshot = snapshot(jedis);
        for (StoredGlob theirs : snapshot.globs().values()) {
            StoredGlob own = mine.remove(theirs.name());
            if (own != null && !own.json().equals(theirs.json())) {
                String entry = own.revision() + "\n" + Scripts.meta(new Origin(own.origin().actor(), "join",
                        tier.node()), Instant.now()) + "\n" + own.json();
                jedis.lpush(HISTORY + own.name(), entry);
                jedis.ltrim(HISTORY + own.name(), 0, HISTORY_KEEP - 1);
            }
            guarded(theirs.name(), () -> replica.adopt(theirs));
        }
        for (Map.Entry<String, StoredGlob> tomb : snapshot.tombs().entrySet()) {
            StoredGlob own = mine.get(tomb.getKey());
            if (own != null && own.revision() <= tomb.getValue().revision()) {
                mine.remove(tomb.getKey());
                localDelete(tomb.getKey(), tomb.getValue().revision(), tomb.getValue().origin());
            }
        }
        for (StoredGlob own : mine.values()) { // only this node had them: given to the store
            seed(jedis, own);
        }
        return snapshot.last();
    }

    /**
     * Reads the whole store and applies it as it is (a revision older than this node's is skipped, a local copy
     * behind is written again); this node is clean again when every local copy took it.
     */
    private String resync(Jedis jedis) {
        boolean wasDirty = state.dirty;
        passFailed = false;
        Snapshot snapshot = snapshot(jedis); // a failure here leaves the node as dirty as it was
        for (StoredGlob glob : snapshot.globs().values()) {
            guarded(glob.name(), () -> replica.apply(glob));
        }
        for (Map.Entry<String, StoredGlob> tomb : snapshot.tombs().entrySet()) {
            localDelete(tomb.getKey(), tomb.getValue().revision(), tomb.getValue().origin());
        }
        state.dirty = passFailed; // clean only once a whole pass was taken
        if (wasDirty && !state.dirty) {
            LOG.info("This node's local copies are in sync with the shared store again");
        }
        return snapshot.last();
    }

    private void localDelete(String name, long revision, Origin origin) {
        guarded(name, () -> replica.applyDelete(name, revision, origin));
    }

    /** A replica call for one glob: its local failure marks this node dirty instead of stopping the rest. */
    private void guarded(String name, java.util.function.BooleanSupplier call) {
        try {
            if (!call.getAsBoolean()) {
                failedLocally();
            }
        } catch (JedisException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.error("Glob {} could not be stored on this node ({}); the store is read again later", name,
                    e.getMessage());
            failedLocally();
        }
    }

    /** The whole store: globs and tombstones by name, and the stream id to go on from. */
    private record Snapshot(Map<String, StoredGlob> globs, Map<String, StoredGlob> tombs, String last) {
    }

    private Snapshot snapshot(Jedis jedis) {
        List<Object> r = list(evalOn(jedis, "snapshot", List.of(GLOBAL, REV, META, TOMB, STREAM), List.of()));
        Map<String, String> values = pairs(r.get(0));
        Map<String, String> revs = pairs(r.get(1));
        Map<String, String> metas = pairs(r.get(2));
        Map<String, StoredGlob> globs = new LinkedHashMap<>();
        values.forEach((name, json) -> {
            try {
                globs.put(name, Scripts.glob(name, json, revs.get(name), metas.get(name)));
            } catch (IllegalArgumentException unreadable) { // e.g. written into hash global by another tool
                LOG.warn("Ignoring {} in hash {}: it has no readable revision ({})", name, GLOBAL,
                        unreadable.getMessage());
            }
        });
        Map<String, StoredGlob> deleted = new LinkedHashMap<>();
        pairs(r.get(3)).forEach((name, tomb) -> {
            String[] parts = tomb.split("\n", 3);
            try {
                deleted.put(name, Scripts.glob(name, "null", parts[0], parts.length == 3 ? parts[2] : null));
            } catch (IllegalArgumentException unreadable) {
                LOG.warn("Ignoring the unreadable tombstone of {}", name);
            }
        });
        return new Snapshot(globs, deleted, str(r.get(4)));
    }

    private Object evalOn(Jedis jedis, String script, List<String> keys, List<String> args) {
        return tier.scripts.run(script, keys, args, jedis::evalsha, jedis::scriptLoad);
    }

    // ------------------------------------------------------------------------------------------ housekeeping

    /** Every 5 s: this node is alive; warns once when another live instance keeps beating under its name. */
    private void beat(Jedis jedis) {
        long now = System.currentTimeMillis();
        if (now - lastBeat < BEAT_MS) {
            return;
        }
        String other = jedis.hget(NODES, tier.node());
        if (other != null && !other.startsWith(tier.instance + " ") && !warnedSameName && lastBeat > 0
                && beatTime(other) > lastBeat) {
            LOG.warn("Another node following the shared glob store is also named '{}': give each node its own "
                    + "karaf.name (etc/system.properties), or their refreshes and histories mix", tier.node());
            warnedSameName = true;
        }
        jedis.hset(NODES, tier.node(), tier.instance + " " + now);
        lastBeat = now;
        if (!state.epoch.equals(jedis.get(EPOCH))) { // emptied under a live connection (FLUSHDB, eviction)
            LOG.warn("The shared glob store ({}) lost its epoch: shaking hands again", tier.where());
            synced = false;
        }
    }

    static long beatTime(String beat) {
        try {
            return Long.parseLong(beat.substring(beat.indexOf(' ') + 1));
        } catch (RuntimeException e) {
            return 0;
        }
    }

    /** At most once an hour (and after each reconnection): tombstones older than 30 days are forgotten. */
    private void expireTombstones(Jedis jedis) {
        long now = System.currentTimeMillis();
        if (now - lastExpiry < EXPIRE_EVERY_MS) {
            return;
        }
        Object forgotten = evalOn(jedis, "expire", List.of(TOMB), List.of(Long.toString(now - TOMB_KEEP_MS)));
        if (!"0".equals(str(forgotten))) {
            LOG.info("Forgot {} tombstone(s) of globs deleted more than 30 days ago", str(forgotten));
        }
        lastExpiry = now;
    }

    private void closeConnection() {
        Jedis jedis = connection;
        connection = null;
        lastExpiry = 0;
        if (jedis != null) {
            try {
                jedis.close();
            } catch (RuntimeException e) {
                LOG.debug("Closing the follower's connection failed", e);
            }
        }
    }

    @Override
    public void close() {
        running = false;
        closeConnection(); // wakes a blocked XREAD
        tier.wake();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warn("The glob follower thread did not stop within 5 s");
        }
        try {
            String beat = tier.pool().hget(NODES, tier.node());
            if (beat != null && beat.startsWith(tier.instance + " ")) {
                tier.pool().hdel(NODES, tier.node()); // gone: not waited for by refreshes
            }
        } catch (JedisException e) {
            LOG.debug("Could not remove this node from {}", NODES, e);
        }
    }
}
