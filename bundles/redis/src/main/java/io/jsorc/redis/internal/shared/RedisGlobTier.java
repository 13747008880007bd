package io.jsorc.redis.internal.shared;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.jsorc.api.config.GlobException;
import io.jsorc.api.config.GlobException.Reason;
import io.jsorc.api.config.Origin;
import io.jsorc.api.config.StoredGlob;
import io.jsorc.api.spi.SharedGlobTier;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisNoScriptException;
import redis.clients.jedis.params.XReadParams;
import redis.clients.jedis.resps.StreamEntry;

/**
 * The shared glob store in Redis. Storage: hash {@code global} (field = glob name, value = the JSON text: a
 * Jaseci-era {@code HGET global NAME} reads it), beside it {@code jsorc:rev} and {@code jsorc:meta} (revision; time and
 * origin), {@code jsorc:tomb} (deleted globs: revision, time, origin), {@code jsorc:epoch} and {@code jsorc:seed}, the
 * change stream {@code jsorc:changes} and per glob its history {@code jsorc:history:NAME}. Every write is one Lua
 * script (write.lua, delete.lua): committed when it returns.
 *
 * <p>A follower thread per node reads the stream on its own blocking connection from the last id it applied and
 * hands every change to the store's {@link SharedGlobTier.Replica}, as it is. On (re)connecting it shakes hands
 * (handshake.lua): a Redis without epoch is seeded from this node (first node, or Redis restarted empty); a seed this
 * node did not follow, or a stream behind what it applied (Redis restarted from an older snapshot), makes it seed
 * again ("store if absent or of a lower revision", tombstones beating lower revisions) and resync; another epoch is
 * joined (Redis's values adopted). Writes are refused until that is done, and while Redis is unreachable.
 *
 * <p>Thread-safety: thread-safe. Writes use a connection pool; the follower owns its connection.
 */
public final class RedisGlobTier implements SharedGlobTier {

    private static final Logger LOG = LoggerFactory.getLogger(RedisGlobTier.class);

    static final String GLOBAL = "global";
    static final String REV = "jsorc:rev";
    static final String META = "jsorc:meta";
    static final String TOMB = "jsorc:tomb";
    static final String EPOCH = "jsorc:epoch";
    static final String SEED = "jsorc:seed";
    static final String STREAM = "jsorc:changes";
    static final String HISTORY = "jsorc:history:";
    /** How many revisions the history of a glob keeps. */
    static final int HISTORY_KEEP = 20;
    private static final long BLOCK_MS = 1000;
    private static final long MAX_BACKOFF_MS = 1000;
    static final String NODES = "jsorc:nodes";
    private static final long BEAT_MS = 5000;
    /** A node not heard of for this long is not waited for. */
    static final long LIVE_MS = 30_000;
    /** How long a tombstone beats lower revisions. */
    static final long TOMB_KEEP_MS = TimeUnit.DAYS.toMillis(30);
    private static final long EXPIRE_EVERY_MS = TimeUnit.HOURS.toMillis(1);

    /** What the tier needs to know: where Redis is, how to reach it, the stream's length, where to remember. */
    public record Settings(String host, int port, int db, String user, String password, boolean ssl, int timeoutMs,
            int streamMax, Path stateFile) {
    }

    private final Settings settings;
    private final String where;
    private final JedisClientConfig clientConfig;
    private final RedisClient pool;
    private final Map<String, Script> scripts = new HashMap<>();
    private final NodeState state;
    private final String node;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private volatile boolean ready;
    private volatile boolean resyncWanted;
    private volatile String epoch = "";
    private volatile String seed = "";
    private volatile java.util.function.BiConsumer<String, Map<String, String>> otherEntries = (id, fields) -> { };
    /** This run of this node, told apart from another node that has the same name. */
    private final String instance = newId();
    private final long startedAt = System.currentTimeMillis();
    private volatile long lastBeat;
    private boolean warnedSameName;
    private volatile Follower follower;

    public RedisGlobTier(Settings settings) {
        this(settings, Origin.localNode());
    }

    /** @param node this node's name in the shared store (default {@code karaf.name}) */
    public RedisGlobTier(Settings settings, String node) {
        this.settings = settings;
        this.node = node;
        this.where = "Redis at " + settings.host() + ":" + settings.port();
        DefaultJedisClientConfig.Builder client = DefaultJedisClientConfig.builder()
                .database(settings.db())
                .ssl(settings.ssl())
                .connectionTimeoutMillis(settings.timeoutMs())
                .socketTimeoutMillis(Math.max(settings.timeoutMs(), (int) BLOCK_MS + 1000))
                .clientName("jsorc-globs")
                .protocol(RedisProtocol.RESP2); // the scripts' replies are read as RESP2 arrays
        if (settings.user() != null && !settings.user().isBlank()) {
            client.user(settings.user());
        }
        if (settings.password() != null && !settings.password().isEmpty()) {
            client.password(settings.password());
        }
        this.clientConfig = client.build();
        GenericObjectPoolConfig<Connection> poolConfig = new GenericObjectPoolConfig<>();
        poolConfig.setMaxTotal(16);
        poolConfig.setMaxIdle(16);
        poolConfig.setTestOnBorrow(true);
        poolConfig.setJmxEnabled(false); // an MBean would outlive a redeploy's class loader
        this.pool = RedisClient.builder().hostAndPort(new HostAndPort(settings.host(), settings.port()))
                .clientConfig(clientConfig).poolConfig(poolConfig).build();
        for (String name : List.of("write", "delete", "handshake", "reseed", "snapshot", "read", "expire")) {
            scripts.put(name, new Script(load(name + ".lua")));
        }
        this.state = new NodeState(settings.stateFile());
    }

    /** Where the store is, for messages ({@code Redis at host:port}). */
    public String where() {
        return where;
    }

    /** Whether this node has joined the store and it takes writes. */
    public boolean ready() {
        return ready;
    }

    /**
     * Stream entries that are not glob changes (a refresh): given to {@code handler} (entry id, fields) on the
     * follower thread.
     */
    public void otherEntries(java.util.function.BiConsumer<String, Map<String, String>> handler) {
        this.otherEntries = handler;
    }

    /** Appends a non-glob entry ({@code op} and its fields) to the change stream; its id. */
    public String publish(Map<String, String> fields) {
        return call("publish to", true, () -> pool.xadd(STREAM,
                redis.clients.jedis.params.XAddParams.xAddParams().maxLen(settings.streamMax()).approximateTrimming(),
                fields).toString());
    }

    /** The pool, for the tier's companions (refresh acknowledgements). */
    RedisClient pool() {
        return pool;
    }

    /** This node's name in the shared store ({@code karaf.name}). */
    String node() {
        return node;
    }

    /** When this tier started (epoch ms): refreshes published before are not carried out. */
    long startedAt() {
        return startedAt;
    }

    /** The nodes heard of within the last 30 s, this one included. */
    List<String> liveNodes() {
        long now = System.currentTimeMillis();
        Map<String, String> beats = call("read the nodes of", false, () -> pool.hgetAll(NODES));
        List<String> live = new ArrayList<>();
        beats.forEach((name, beat) -> {
            if (now - beatTime(beat) < LIVE_MS) {
                live.add(name);
            }
        });
        live.sort(null);
        return live;
    }

    private static long beatTime(String beat) {
        try {
            return Long.parseLong(beat.substring(beat.indexOf(' ') + 1));
        } catch (RuntimeException e) {
            return 0;
        }
    }

    @Override
    public String name() {
        return "redis";
    }

    @Override
    public int order() {
        return 1000;
    }

    // ------------------------------------------------------------------------------------------ the write path

    @Override
    public Optional<StoredGlob> get(String name) {
        List<Object> r = list(eval("read", List.of(GLOBAL, REV, META, TOMB), List.of(name), true));
        String json = str(r.get(0));
        if (json == null) {
            return Optional.empty();
        }
        return Optional.of(glob(name, json, str(r.get(1)), str(r.get(2))));
    }

    @Override
    public boolean putIfAbsent(StoredGlob glob) {
        return write(glob, 0);
    }

    @Override
    public boolean compareAndSet(String name, long expectedRevision, StoredGlob glob) {
        return write(glob, expectedRevision);
    }

    private boolean write(StoredGlob glob, long expected) {
        List<Object> r = list(eval("write", writeKeys(glob.name()), List.of(epoch, seed, glob.name(),
                Long.toString(expected), Long.toString(glob.revision()), glob.json(), meta(glob.origin(),
                        glob.time()), Integer.toString(settings.streamMax()), Integer.toString(HISTORY_KEEP), "cas"),
                true));
        return committed(glob.name(), expected, r);
    }

    @Override
    public boolean delete(String name, long expectedRevision) {
        return delete(name, expectedRevision, Origin.local("jsorc", "delete"));
    }

    @Override
    public boolean delete(String name, long expectedRevision, Origin origin) {
        List<Object> r = list(eval("delete", deleteKeys(), List.of(epoch, seed, name, Long.toString(expectedRevision),
                meta(origin, Instant.now()), Long.toString(System.currentTimeMillis()),
                Integer.toString(settings.streamMax()), "cas"), true));
        return committed(name, expectedRevision, r);
    }

    /** The answer of a write script: true when committed; a refusal otherwise. */
    private boolean committed(String name, long expected, List<Object> r) {
        String verdict = str(r.get(0));
        switch (verdict) {
            case "OK" -> {
                return true;
            }
            case "STALE" -> {
                long current = Long.parseLong(str(r.get(1)));
                throw new GlobException(Reason.STALE_REVISION, "Stale write of " + name + ": expected "
                        + (expected == 0 ? "absent" : "revision " + expected) + " but it is "
                        + (current == 0 ? "absent" : "revision " + current) + "; read it again and retry");
            }
            case "TOMB" -> throw new GlobException(Reason.STALE_REVISION, "Stale write of " + name
                    + ": it was deleted at revision " + str(r.get(1)) + "; read it again and retry");
            case "EPOCH" -> {
                ready = false;
                wake();
                throw new GlobException(Reason.STORAGE, "The shared glob store (" + where + ") was restarted or "
                        + "seeded again; this node is syncing with it. Nothing changed: try again shortly");
            }
            default -> throw new GlobException(Reason.STORAGE, "The shared glob store answered " + verdict);
        }
    }

    @Override
    public List<String> list() {
        return call("list the globs of", false, () -> new ArrayList<>(pool.hkeys(REV)));
    }

    @Override
    public long tombstone(String name) {
        String tomb = call("read the tombstone of " + name + " from", true, () -> pool.hget(TOMB, name));
        return tomb == null ? 0 : Long.parseLong(tomb.split("\n", 2)[0]);
    }

    @Override
    public List<StoredGlob> history(String name) {
        List<String> entries = call("read the history of " + name + " from", false,
                () -> pool.lrange(HISTORY + name, 0, HISTORY_KEEP * 2L));
        List<StoredGlob> globs = new ArrayList<>();
        for (String entry : entries) {
            String[] parts = entry.split("\n", 3);
            if (parts.length == 3) {
                globs.add(glob(name, parts[2], parts[0], parts[1]));
            }
        }
        return globs;
    }

    @Override
    public AutoCloseable subscribe(Consumer<TierChange> listener) {
        return () -> { }; // a shared tier is followed (follow), not subscribed to
    }

    // ------------------------------------------------------------------------------------------ following

    @Override
    public AutoCloseable follow(Replica replica) {
        Follower started = new Follower(replica);
        follower = started;
        started.thread.start();
        return started;
    }

    @Override
    public void resync() {
        resyncWanted = true;
        wake();
    }

    private void wake() {
        lock.lock();
        try {
            wake.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Closes the pool; the follower is stopped by its own handle (the store closes it first). */
    public void close() {
        Follower running = follower;
        if (running != null) {
            running.close();
        }
        pool.close();
    }

    /** The thread that follows the stream, on its own connection. */
    private final class Follower implements AutoCloseable {

        private final Replica replica;
        private final Thread thread;
        private volatile boolean running = true;
        private volatile Jedis connection;
        private boolean warned;

        Follower(Replica replica) {
            this.replica = replica;
            this.thread = new Thread(this::loop, "jsorc/glob-follower");
            this.thread.setDaemon(true);
        }

        private void loop() {
            long backoff = 50;
            while (running) {
                try {
                    Jedis jedis = connection;
                    if (jedis == null) {
                        jedis = new Jedis(new HostAndPort(settings.host(), settings.port()), clientConfig);
                        connection = jedis;
                    }
                    if (!ready || resyncWanted) {
                        boolean resync = resyncWanted;
                        resyncWanted = false;
                        handshake(jedis, replica, resync);
                        lastExpiry = 0;
                        ready = true;
                        if (warned) {
                            LOG.info("The shared glob store ({}) is back: this node is in sync and takes writes", where);
                            warned = false;
                        }
                        backoff = 50;
                        replica.writable();
                    }
                    beat(jedis);
                    expireTombstones(jedis);
                    read(jedis);
                } catch (JedisException | IllegalStateException e) {
                    if (!running) {
                        break;
                    }
                    ready = false;
                    closeConnection();
                    if (!warned) {
                        LOG.warn("The shared glob store ({}) is unreachable: {}. Writes are refused until it is back; "
                                + "reads are served from this node", where, reason(e));
                        warned = true;
                    }
                    pause(backoff);
                    backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
                } catch (RuntimeException e) {
                    if (!running) {
                        break;
                    }
                    ready = false;
                    LOG.error("Following the shared glob store ({}) failed; retrying", where, e);
                    pause(MAX_BACKOFF_MS);
                }
            }
            closeConnection();
        }

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
                    if (!running) {
                        return;
                    }
                    if (!apply(entry.getID().toString(), entry.getFields())) {
                        ready = false; // the store was seeded again: shake hands before going on
                        return;
                    }
                    state.lastId = entry.getID().toString();
                }
            }
            state.save();
        }

        /** One stream entry; false when the node must shake hands again (the store was seeded again). */
        private boolean apply(String id, Map<String, String> fields) {
            String op = fields.getOrDefault("op", "");
            switch (op) {
                case "set" -> replica.apply(glob(fields.get("name"), fields.get("json"), fields.get("rev"),
                        fields.get("meta")));
                case "del" -> replica.applyDelete(fields.get("name"), Long.parseLong(fields.get("rev")),
                        origin(fields.get("meta")));
                case "reseed" -> {
                    return fields.getOrDefault("seed", "").equals(seed);
                }
                default -> {
                    try {
                        otherEntries.accept(id, fields);
                    } catch (RuntimeException e) {
                        LOG.error("Handling the stream entry {} failed", op, e);
                    }
                }
            }
            return true;
        }

        private void handshake(Jedis jedis, Replica replica, boolean resyncWanted) {
            List<Object> r = list(evalOn(jedis, "handshake", List.of(EPOCH, SEED, STREAM),
                    List.of(state.epoch, newId(), newId())));
            String theirEpoch = str(r.get(0));
            String theirSeed = str(r.get(1));
            boolean created = "1".equals(str(r.get(2)));
            String last = str(r.get(3));
            String first = str(r.get(4));
            if (created) {
                LOG.info(state.epoch.isEmpty() ? "The shared glob store ({}) is new: seeding it from this node"
                        : "The shared glob store ({}) lost its globs (restarted empty): seeding it again", where);
                adoptEpoch(theirEpoch, theirSeed);
                seedFrom(replica, jedis);
                resync(jedis, replica);
            } else if (!theirEpoch.equals(state.epoch)) {
                LOG.info("Joining the shared glob store ({}): its values replace this node's", where);
                adoptEpoch(theirEpoch, theirSeed);
                join(jedis, replica);
            } else if (!theirSeed.equals(state.seed)) {
                LOG.info("The shared glob store ({}) was seeded again: seeding it with this node's globs", where);
                adoptEpoch(theirEpoch, theirSeed);
                seedFrom(replica, jedis);
                resync(jedis, replica);
            } else if (compare(last, state.lastId) < 0) {
                String newSeed = str(evalOn(jedis, "reseed", List.of(SEED, STREAM), List.of(theirSeed, newId(),
                        Integer.toString(settings.streamMax()))));
                LOG.warn("The shared glob store ({}) is behind what this node applied (restarted from an older "
                        + "snapshot): seeding it again", where);
                adoptEpoch(theirEpoch, newSeed);
                seedFrom(replica, jedis);
                resync(jedis, replica);
            } else if (resyncWanted || (!"0-0".equals(state.lastId) && compare(first, state.lastId) > 0)) {
                resync(jedis, replica); // entries this node missed were trimmed: read the whole store
            } // else: replay from the last id applied
            adoptEpoch(state.epoch, state.seed); // what this node's writes are checked against from now on
            state.save();
        }

        private long lastExpiry;

        /** At most once an hour (and after each handshake): tombstones older than 30 days are forgotten. */
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

        /** Every 5 s: this node is alive (hash jsorc:nodes); warns once when another live node has its name. */
        private void beat(Jedis jedis) {
            long now = System.currentTimeMillis();
            if (now - lastBeat < BEAT_MS) {
                return;
            }
            String other = jedis.hget(NODES, node);
            // another instance under this name that beat since our last beat (not our own previous run's last beat)
            if (other != null && !other.startsWith(instance + " ") && !warnedSameName && lastBeat > 0
                    && beatTime(other) > lastBeat) {
                LOG.warn("Another node following the shared glob store is also named '{}': give each node its own "
                        + "karaf.name (etc/system.properties), or their refreshes and histories mix", node);
                warnedSameName = true;
            }
            jedis.hset(NODES, node, instance + " " + now);
            lastBeat = now;
        }

        private void adoptEpoch(String theirEpoch, String theirSeed) {
            state.epoch = theirEpoch;
            state.seed = theirSeed;
            epoch = theirEpoch;
            seed = theirSeed;
        }

        /** Seeds the store with every glob and tombstone of this node: stored where absent or of a lower revision. */
        private void seedFrom(Replica replica, Jedis jedis) {
            for (StoredGlob glob : replica.local()) {
                List<Object> r = list(evalOn(jedis, "write", writeKeys(glob.name()), List.of(epoch, seed,
                        glob.name(), "0", Long.toString(glob.revision()), glob.json(), meta(glob.origin(),
                                glob.time()), Integer.toString(settings.streamMax()), Integer.toString(HISTORY_KEEP),
                        "seed")));
                if ("EPOCH".equals(str(r.get(0)))) {
                    throw new IllegalStateException("the shared glob store changed its epoch while being seeded");
                }
            }
            for (Map.Entry<String, Long> deleted : replica.deleted().entrySet()) {
                evalOn(jedis, "delete", deleteKeys(), List.of(epoch, seed, deleted.getKey(),
                        Long.toString(deleted.getValue()), meta(Origin.local("jsorc", "delete"), Instant.now()),
                        Long.toString(System.currentTimeMillis()), Integer.toString(settings.streamMax()), "seed"));
            }
        }

        /** Joining another epoch: Redis's values replace this node's (kept in the history as source join). */
        private void join(Jedis jedis, Replica replica) {
            Map<String, StoredGlob> mine = new LinkedHashMap<>();
            for (StoredGlob glob : replica.local()) {
                mine.put(glob.name(), glob);
            }
            Snapshot snapshot = snapshot(jedis);
            for (StoredGlob theirs : snapshot.globs().values()) {
                StoredGlob own = mine.remove(theirs.name());
                if (own != null && !own.json().equals(theirs.json())) {
                    String entry = own.revision() + "\n" + meta(new Origin(own.origin().actor(), "join", node),
                            Instant.now()) + "\n" + own.json();
                    jedis.lpush(HISTORY + own.name(), entry);
                    jedis.ltrim(HISTORY + own.name(), 0, HISTORY_KEEP - 1);
                }
                replica.adopt(theirs);
            }
            for (Map.Entry<String, StoredGlob> tomb : snapshot.tombs().entrySet()) {
                StoredGlob own = mine.get(tomb.getKey());
                if (own != null && own.revision() <= tomb.getValue().revision()) {
                    mine.remove(tomb.getKey());
                    replica.applyDelete(tomb.getKey(), tomb.getValue().revision(), tomb.getValue().origin());
                }
            }
            for (StoredGlob own : mine.values()) { // only here: given to the store
                evalOn(jedis, "write", writeKeys(own.name()), List.of(epoch, seed, own.name(), "0",
                        Long.toString(own.revision()), own.json(), meta(own.origin(), own.time()),
                        Integer.toString(settings.streamMax()), Integer.toString(HISTORY_KEEP), "seed"));
            }
            state.lastId = snapshot.last();
        }

        /** Reads the whole store and applies it as it is (a revision not newer than this node's is skipped). */
        private void resync(Jedis jedis, Replica replica) {
            Snapshot snapshot = snapshot(jedis);
            for (StoredGlob glob : snapshot.globs().values()) {
                replica.apply(glob);
            }
            for (Map.Entry<String, StoredGlob> tomb : snapshot.tombs().entrySet()) {
                replica.applyDelete(tomb.getKey(), tomb.getValue().revision(), tomb.getValue().origin());
            }
            state.lastId = snapshot.last();
        }

        private void pause(long millis) {
            lock.lock();
            try {
                if (running) {
                    wake.await(millis, TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            } finally {
                lock.unlock();
            }
        }

        private void closeConnection() {
            Jedis jedis = connection;
            connection = null;
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
            ready = false;
            closeConnection(); // wakes a blocked XREAD
            try {
                String beat = pool.hget(NODES, node);
                if (beat != null && beat.startsWith(instance + " ")) {
                    pool.hdel(NODES, node); // gone: not waited for by refreshes
                }
            } catch (JedisException e) {
                LOG.debug("Could not remove this node from {}", NODES, e);
            }
            wake();
            try {
                thread.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (thread.isAlive()) {
                LOG.warn("The glob follower thread did not stop within 5 s");
            }
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
        Map<String, String> tombs = pairs(r.get(3));
        Map<String, StoredGlob> globs = new LinkedHashMap<>();
        values.forEach((name, json) -> {
            if (revs.containsKey(name)) {
                globs.put(name, glob(name, json, revs.get(name), metas.get(name)));
            }
        });
        Map<String, StoredGlob> deleted = new LinkedHashMap<>();
        tombs.forEach((name, tomb) -> {
            String[] parts = tomb.split("\n", 3);
            deleted.put(name, glob(name, "null", parts[0], parts.length == 3 ? parts[2] : null));
        });
        return new Snapshot(globs, deleted, str(r.get(4)));
    }

    // ------------------------------------------------------------------------------------------ plumbing

    private static List<String> writeKeys(String name) {
        return List.of(GLOBAL, REV, META, TOMB, EPOCH, SEED, STREAM, HISTORY + name);
    }

    private static List<String> deleteKeys() {
        return List.of(GLOBAL, REV, META, TOMB, EPOCH, SEED, STREAM);
    }

    /** Runs a script through the pool; {@code needReady}: refused while this node is not in sync. */
    private Object eval(String script, List<String> keys, List<String> args, boolean needReady) {
        return call("reach", needReady, () -> scripts.get(script).run(keys, args,
                (sha, k, a) -> pool.evalsha(sha, k, a), pool::scriptLoad));
    }

    private Object evalOn(Jedis jedis, String script, List<String> keys, List<String> args) {
        return scripts.get(script).run(keys, args, jedis::evalsha, jedis::scriptLoad);
    }

    private <T> T call(String what, boolean needReady, java.util.function.Supplier<T> body) {
        if (needReady && !ready) {
            throw new GlobException(Reason.STORAGE, "The shared glob store (" + where + ") is not in sync with this "
                    + "node yet (unreachable, or being seeded): nothing changed; try again when it is back");
        }
        try {
            return body.get();
        } catch (JedisConnectionException e) {
            boolean refused = reason(e).contains("refused") || reason(e).contains("connect");
            throw new GlobException(Reason.STORAGE, "The shared glob store (" + where + ") is unreachable: "
                    + reason(e) + (refused ? ". Nothing changed" : ". The write was not acknowledged (every node "
                    + "converges on what the store kept)"), e);
        } catch (JedisException e) {
            throw new GlobException(Reason.STORAGE, "The shared glob store (" + where + ") refused to " + what
                    + " it: " + e.getMessage(), e);
        }
    }

    /** A loaded script: EVALSHA, loading it again when Redis forgot it (restarted). */
    private static final class Script {
        private final String text;
        private volatile String sha;

        Script(String text) {
            this.text = text;
        }

        interface EvalSha {
            Object eval(String sha, List<String> keys, List<String> args);
        }

        Object run(List<String> keys, List<String> args, EvalSha evalsha, java.util.function.UnaryOperator<String> load) {
            String known = sha;
            if (known != null) {
                try {
                    return evalsha.eval(known, keys, args);
                } catch (JedisNoScriptException e) {
                    LOG.debug("Redis forgot a script (restarted): loading it again");
                }
            }
            sha = load.apply(text);
            return evalsha.eval(sha, keys, args);
        }
    }

    private static String load(String resource) {
        try (InputStream in = RedisGlobTier.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing script " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read script " + resource, e);
        }
    }

    static String meta(Origin origin, Instant time) {
        JsonObject meta = new JsonObject();
        meta.addProperty("time", time.toEpochMilli());
        meta.addProperty("actor", origin.actor());
        meta.addProperty("source", origin.source());
        meta.addProperty("node", origin.node());
        return meta.toString();
    }

    static Origin origin(String meta) {
        if (meta == null || meta.isEmpty()) {
            return new Origin("unknown", "redis", "unknown");
        }
        JsonObject o = JsonParser.parseString(meta).getAsJsonObject();
        return new Origin(text(o, "actor"), text(o, "source"), text(o, "node"));
    }

    private static String text(JsonObject o, String key) {
        return o.has(key) && !o.get(key).isJsonNull() ? o.get(key).getAsString() : "unknown";
    }

    private static Instant time(String meta) {
        if (meta == null || meta.isEmpty()) {
            return Instant.EPOCH;
        }
        JsonObject o = JsonParser.parseString(meta).getAsJsonObject();
        return o.has("time") ? Instant.ofEpochMilli(o.get("time").getAsLong()) : Instant.EPOCH;
    }

    static StoredGlob glob(String name, String json, String rev, String meta) {
        return new StoredGlob(name, json, Long.parseLong(rev), time(meta), origin(meta));
    }

    private static String newId() {
        return UUID.randomUUID().toString();
    }

    /** Compares two stream ids ({@code ms-seq}). */
    static int compare(String a, String b) {
        return new StreamEntryID(a).compareTo(new StreamEntryID(b));
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object reply) {
        return (List<Object>) reply;
    }

    private static String str(Object reply) {
        if (reply == null) {
            return null;
        }
        return reply instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : reply.toString();
    }

    private static Map<String, String> pairs(Object reply) {
        List<Object> flat = list(reply);
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            map.put(str(flat.get(i)), str(flat.get(i + 1)));
        }
        return map;
    }

    /** Why a connection failed, without a trailing period (messages go on after it). */
    private static String reason(Throwable e) {
        String reason = io.jsorc.redis.internal.Failures.reason(e);
        return reason.endsWith(".") ? reason.substring(0, reason.length() - 1) : reason;
    }
}
