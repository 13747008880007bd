package io.jsorc.redis.internal.shared;

import static io.jsorc.redis.internal.shared.Scripts.str;

import io.jsorc.api.config.GlobException;
import io.jsorc.api.config.GlobException.Reason;
import io.jsorc.api.config.Origin;
import io.jsorc.api.config.StoredGlob;
import io.jsorc.api.spi.SharedGlobTier;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.XAddParams;

/**
 * The shared glob store in Redis: the write path. Storage: hash {@code global} (field = glob name, value = the JSON
 * text: a Jaseci-era {@code HGET global NAME} reads it), beside it {@code jsorc:rev} and {@code jsorc:meta} (revision;
 * time and origin), {@code jsorc:tomb} (deleted globs: revision, time, origin), {@code jsorc:epoch},
 * {@code jsorc:runid} and {@code jsorc:seeding} (which run of Redis the nodes shook hands with, and until when they
 * seed it), the change stream {@code jsorc:changes}, per glob its history {@code jsorc:history:NAME}, and
 * {@code jsorc:nodes} (live nodes). Every write is one Lua script (write.lua, delete.lua): committed when it returns.
 * Following the stream, joining and seeding: {@link StreamFollower}.
 *
 * <p>Writes are refused (reason STORAGE) while this node has not shaken hands with the running Redis — a write made
 * while the handshake is under way waits for it up to the timeout — and while the nodes seed a Redis that restarted.
 *
 * <p>Thread-safety: thread-safe. Writes use a connection pool; the follower owns its connection.
 */
public final class RedisGlobTier implements SharedGlobTier {

    static final String GLOBAL = "global";
    static final String REV = "jsorc:rev";
    static final String META = "jsorc:meta";
    static final String TOMB = "jsorc:tomb";
    static final String EPOCH = "jsorc:epoch";
    static final String RUNID = "jsorc:runid";
    static final String SEEDING = "jsorc:seeding";
    static final String FRESH = "jsorc:fresh";
    static final String STREAM = "jsorc:changes";
    static final String HISTORY = "jsorc:history:";
    static final String NODES = "jsorc:nodes";
    /** How many revisions the history of a glob keeps. */
    static final int HISTORY_KEEP = 20;

    /**
     * What the tier needs to know: where Redis is, how to reach it, the stream's length, how long writes are refused
     * after Redis (re)started while every node seeds it, where to remember.
     */
    public record Settings(String host, int port, int db, String user, String password, boolean ssl, int timeoutMs,
            int streamMax, long seedingWindowMs, Path stateFile) {
    }

    final Settings settings;
    private final String where;
    final JedisClientConfig clientConfig;
    private final RedisClient pool;
    final Scripts scripts = new Scripts();
    final NodeState state;
    private final String node;
    /** This run of this node, told apart from another node that has the same name. */
    final String instance = UUID.randomUUID().toString();
    private final long startedAt = System.currentTimeMillis();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private volatile boolean ready;
    /** Connected and shaking hands: a write waits for it instead of failing at once. */
    private volatile boolean connecting;
    private volatile String epoch = "";
    private volatile String runId = "";
    private volatile BiConsumer<String, Map<String, String>> otherEntries = (id, fields) -> { };
    private volatile StreamFollower follower;

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
                .socketTimeoutMillis(Math.max(settings.timeoutMs(), (int) StreamFollower.BLOCK_MS + 1000))
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
        this.state = new NodeState(settings.stateFile());
    }

    /** Where the store is, for messages ({@code Redis at host:port}). */
    public String where() {
        return where;
    }

    /** Whether this node has shaken hands with the running Redis: its writes are taken. */
    public boolean ready() {
        return ready;
    }

    /**
     * Stream entries that are not glob changes (a refresh): given to {@code handler} (entry id, fields) on the
     * follower thread.
     */
    public void otherEntries(BiConsumer<String, Map<String, String>> handler) {
        this.otherEntries = handler;
    }

    BiConsumer<String, Map<String, String>> otherEntries() {
        return otherEntries;
    }

    /** Appends a non-glob entry ({@code op} and its fields) to the change stream; its id. */
    public String publish(Map<String, String> fields) {
        return call("publish to", true, () -> pool.xadd(STREAM,
                XAddParams.xAddParams().maxLen(settings.streamMax()).approximateTrimming(), fields).toString());
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
            if (now - StreamFollower.beatTime(beat) < StreamFollower.LIVE_MS) {
                live.add(name);
            }
        });
        live.sort(null);
        return live;
    }

    @Override
    public String status() {
        String sync = ready ? "in sync" : connecting ? "shaking hands (writes wait)"
                : "not in sync: unreachable or restarting (writes refused; reads served from this node)";
        String nodes;
        try {
            nodes = "; live nodes: " + String.join(", ", liveNodes());
        } catch (RuntimeException e) {
            nodes = "";
        }
        return "shared through " + where + " (db " + settings.db() + ") as " + node + ": " + sync + nodes;
    }

    @Override
    public String name() {
        return "redis";
    }

    @Override
    public int order() {
        return 1000;
    }

    // ------------------------------------------------------------------------------------------ the follower's side

    /** The follower shook hands with this run of Redis in this epoch (or lost it: {@code null}). */
    void synced(String epoch, String runId) {
        lock.lock();
        try {
            if (epoch == null) {
                ready = false;
            } else {
                this.epoch = epoch;
                this.runId = runId;
                ready = true;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The epoch to write with while seeding or joining (before {@link #synced}). */
    void seedingEpoch(String epoch) {
        this.epoch = epoch;
    }

    String epoch() {
        return epoch;
    }

    void connecting(boolean connecting) {
        this.connecting = connecting;
        if (!connecting) {
            lock.lock();
            try {
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /** Waits up to {@code millis} for a change of the follower's state (it pauses between reconnections). */
    void pause(long millis) {
        lock.lock();
        try {
            changed.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    /** Wakes the follower (a resync was asked for, or it is closing). */
    void wake() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------------------------------ the write path

    @Override
    public Optional<StoredGlob> get(String name) {
        List<Object> r = Scripts.list(eval("read", List.of(GLOBAL, REV, META, TOMB, EPOCH), List.of(name, epoch)));
        if ("EPOCH".equals(str(r.get(0)))) {
            throw epochChanged();
        }
        String json = str(r.get(1));
        if (json == null) {
            return Optional.empty();
        }
        return Optional.of(Scripts.glob(name, json, str(r.get(2)), str(r.get(3))));
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
        return committed(glob.name(), expected, () -> Scripts.list(eval("write", writeKeys(glob.name()), List.of(epoch,
                runId, glob.name(), Long.toString(expected), Long.toString(glob.revision()), glob.json(),
                Scripts.meta(glob.origin(), glob.time()), Integer.toString(settings.streamMax()),
                Integer.toString(HISTORY_KEEP), "cas"))));
    }

    @Override
    public boolean delete(String name, long expectedRevision) {
        return delete(name, expectedRevision, Origin.local("jsorc", "delete"));
    }

    @Override
    public boolean delete(String name, long expectedRevision, Origin origin) {
        return committed(name, expectedRevision, () -> Scripts.list(eval("delete", deleteKeys(), List.of(epoch, runId, name,
                Long.toString(expectedRevision), Scripts.meta(origin, Instant.now()),
                Long.toString(System.currentTimeMillis()), Integer.toString(settings.streamMax()), "cas"))));
    }

    /** Runs a write script: true when committed; a refusal otherwise. */
    private boolean committed(String name, long expected, Supplier<List<Object>> script) {
        List<Object> r = script.get();
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
            case "SEEDING" -> throw new GlobException(Reason.STORAGE, "The shared glob store (" + where + ") "
                    + "restarted and the nodes are seeding it again (" + str(r.get(1)) + " ms left): nothing "
                    + "changed; try again shortly");
            case "EPOCH" -> throw epochChanged();
            default -> throw new GlobException(Reason.STORAGE, "The shared glob store answered " + verdict);
        }
    }

    /** The store is not the one this node shook hands with (restarted, emptied): it shakes hands again. */
    private GlobException epochChanged() {
        connecting(true); // writes wait for the handshake to come
        synced(null, null);
        StreamFollower running = follower;
        if (running != null) {
            running.shakeHandsAgain();
        }
        return new GlobException(Reason.STORAGE, "The shared glob store (" + where + ") restarted or changed; this "
                + "node is syncing with it. Nothing changed: try again shortly");
    }

    @Override
    public List<String> list() {
        return call("list the globs of", false, () -> new ArrayList<>(pool.hkeys(REV)));
    }

    @Override
    public long tombstone(String name) {
        String tomb = call("read the tombstone of " + name + " from", true, () -> pool.hget(TOMB, name));
        if (tomb == null) {
            return 0;
        }
        try {
            return Long.parseLong(tomb.split("\n", 2)[0]);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    @Override
    public List<StoredGlob> history(String name) {
        List<String> entries = call("read the history of " + name + " from", false,
                () -> pool.lrange(HISTORY + name, 0, HISTORY_KEEP * 2L));
        List<StoredGlob> globs = new ArrayList<>();
        for (String entry : entries) {
            String[] parts = entry.split("\n", 3);
            try {
                globs.add(Scripts.glob(name, parts[2], parts[0], parts[1]));
            } catch (RuntimeException unreadable) {
                // not an entry of ours: skipped
            }
        }
        return globs;
    }

    @Override
    public AutoCloseable subscribe(Consumer<TierChange> listener) {
        return () -> { }; // a shared tier is followed (follow), not subscribed to
    }

    @Override
    public AutoCloseable follow(Replica replica) {
        StreamFollower started = new StreamFollower(this, replica);
        follower = started;
        connecting(true); // a write arriving before the first handshake waits for it
        started.start();
        return started;
    }

    @Override
    public void resync() {
        StreamFollower running = follower;
        if (running != null) {
            running.resync();
        }
    }

    /** Stops the follower (if the store did not) and closes the pool. */
    public void close() {
        StreamFollower running = follower;
        if (running != null) {
            running.close();
        }
        pool.close();
    }

    static List<String> writeKeys(String name) {
        return List.of(GLOBAL, REV, META, TOMB, EPOCH, RUNID, SEEDING, STREAM, HISTORY + name);
    }

    static List<String> deleteKeys() {
        return List.of(GLOBAL, REV, META, TOMB, EPOCH, RUNID, SEEDING, STREAM);
    }

    /** Runs a script through the pool; refused while this node is not in sync with the running Redis. */
    private Object eval(String script, List<String> keys, List<String> args) {
        return call("reach", true, () -> scripts.run(script, keys, args, pool::evalsha, pool::scriptLoad));
    }

    private <T> T call(String what, boolean needReady, Supplier<T> body) {
        if (needReady && !ready) { // never waits here: the caller may hold the store's lock the follower needs
            throw new GlobException(Reason.STORAGE, "The shared glob store (" + where + ") is not in sync with this "
                    + "node (unreachable, or being joined): nothing changed; try again when it is back");
        }
        try {
            return body.get();
        } catch (JedisConnectionException e) {
            throw new GlobException(Reason.STORAGE, "The shared glob store (" + where + ") is unreachable: "
                    + reason(e) + (beforeSending(e) ? ". Nothing changed" : ". The write was not acknowledged "
                    + "(every node converges on what the store kept)"), e);
        } catch (JedisException e) {
            throw new GlobException(Reason.STORAGE, "The shared glob store (" + where + ") refused to " + what
                    + " it: " + e.getMessage(), e);
        }
    }

    /** Ready, or waits up to {@code millis} while the follower is shaking hands. */
    @Override
    public boolean awaitInSync(long millis) {
        if (ready) {
            return true;
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        lock.lock();
        try {
            while (!ready && connecting) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                changed.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
        return ready;
    }

    /** Whether the connection failed before anything was sent (connecting, or no connection from the pool). */
    static boolean beforeSending(Throwable error) {
        for (Throwable e = error; e != null; e = e.getCause() == e ? null : e.getCause()) {
            if (e instanceof ConnectException || e instanceof UnknownHostException
                    || e instanceof NoRouteToHostException
                    || (e.getMessage() != null && (e.getMessage().startsWith("Failed to connect")
                    || e.getMessage().contains("Could not get a resource")))) {
                return true;
            }
            for (Throwable suppressed : e.getSuppressed()) {
                if (beforeSending(suppressed)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Why a connection failed, without a trailing period (messages go on after it). */
    static String reason(Throwable e) {
        String reason = io.jsorc.redis.internal.Failures.reason(e);
        return reason.endsWith(".") ? reason.substring(0, reason.length() - 1) : reason;
    }
}
