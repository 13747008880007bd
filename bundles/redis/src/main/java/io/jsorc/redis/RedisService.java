package io.jsorc.redis;

import io.jsorc.api.CommonService;
import io.jsorc.api.Hook;
import io.jsorc.api.ServiceProperties;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.ServiceScope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Connection;
import io.jsorc.redis.internal.Failures;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The original's {@code RedisService}: its app is a pooled client ({@link RedisClient}, Jedis 8's name for
 * {@code JedisPooled}: a connection pool, never one shared connection), built from {@code REDIS_CONFIG} and pinged in {@link #run}; closed on reset. Redis unreachable: the
 * service FAILS with one line ({@code Redis at localhost:6379 is unreachable: connection refused}) and the platform
 * goes on; a {@code service_refresh} once Redis is there makes it RUNNING.
 *
 * <p>The original's wrappers — {@link #get}, {@link #set}, {@link #exists}, {@link #delete}, {@link #hget},
 * {@link #hset}, {@link #hexists}, {@link #hdel}, {@link #hkeys}, {@link #clear} — answer as the original did when the
 * service is not running: null, false, 0 or an empty list, without touching Redis.
 *
 * <p>Thread-safety: every method may be called from any thread (the pool hands each call its own connection).
 */
@Component(scope = ServiceScope.PROTOTYPE, service = CommonService.class,
        configurationPolicy = ConfigurationPolicy.IGNORE,
        property = {
            ServiceProperties.SERVICE_NAME + "=" + RedisService.NAME,
            ServiceProperties.SERVICE_CONFIG + "=" + RedisService.CONFIG,
            ServiceProperties.SERVICE_MANIFEST + "=" + RedisService.MANIFEST,
            // seconds: building the pool and the first PING are bounded by the connect timeout; this is the ceiling
            ServiceProperties.SERVICE_START_TIMEOUT + ":Integer=30",
            ServiceProperties.SERVICE_STOP_TIMEOUT + ":Integer=10" })
public class RedisService extends CommonService<RedisClient> {

    /** The service name. */
    public static final String NAME = "redis";
    /** The glob it reads. */
    public static final String CONFIG = "REDIS_CONFIG";
    /** Its Kubernetes manifest, applied by the JsOrc loop when stored (jsorc:apply-yaml REDIS_MANIFEST default:redis). */
    public static final String MANIFEST = "REDIS_MANIFEST";

    /** REDIS_CONFIG as first written: the original's keys, in its order, then the Jedis settings. */
    public static final Map<String, Object> DEFAULTS;

    static {
        Map<String, Object> defaults = new LinkedHashMap<>();
        defaults.put("enabled", true);
        defaults.put("quiet", false);
        defaults.put("host", "localhost");
        defaults.put("port", 6379);
        defaults.put("db", 1);
        defaults.put("user", null);
        defaults.put("password", null);
        defaults.put("ssl", false);
        defaults.put("connect_timeout_ms", 2000);
        defaults.put("socket_timeout_ms", 2000);
        defaults.put("pool_size", 8);
        DEFAULTS = Collections.unmodifiableMap(defaults);
    }

    private static final Logger LOG = LoggerFactory.getLogger(RedisService.class);

    /** "Redis at host:port" of the running app, for the failure of a wrapper's call. */
    private volatile String where = "Redis";

    @Override
    protected Map<String, Object> buildConfig(Hook hook) {
        return hook.serviceGlob(CONFIG, DEFAULTS);
    }

    /**
     * {@code REDIS_MANIFEST} when one is stored, else none. Unlike the original, no default is written here: a node
     * without Kubernetes needs none; the default ships with the Kubernetes part ({@code default:redis}).
     */
    @Override
    @SuppressWarnings("unchecked")
    protected Map<String, Object> buildManifest(Hook hook) {
        Object manifest = hook.getGlob(MANIFEST);
        return manifest instanceof Map ? (Map<String, Object>) manifest : null;
    }

    /** Builds the pool and pings Redis; unreachable → one readable line, the pool closed. */
    @Override
    protected RedisClient run(Hook hook) {
        RedisConfig config = config(RedisConfig.class);
        String where = "Redis at " + config.host() + ":" + config.port();
        DefaultJedisClientConfig.Builder client = DefaultJedisClientConfig.builder()
                .database(config.db())
                .ssl(config.ssl())
                .connectionTimeoutMillis(config.connect__timeout__ms())
                .socketTimeoutMillis(config.socket__timeout__ms())
                .clientName("jsorc");
        if (config.user() != null && !config.user().isBlank()) {
            client.user(config.user());
        }
        if (config.password() != null && !config.password().isEmpty()) {
            client.password(config.password());
        }
        GenericObjectPoolConfig<Connection> pool = new GenericObjectPoolConfig<>();
        pool.setMaxTotal(config.pool__size());
        pool.setMaxIdle(config.pool__size());
        pool.setTestOnBorrow(true); // a connection Redis closed meanwhile is replaced, not handed to a caller
        pool.setJmxEnabled(false); // no MBean per pool: it would outlive a redeploy's class loader
        RedisClient app = RedisClient.builder().hostAndPort(new HostAndPort(config.host(), config.port()))
                .clientConfig(client.build()).poolConfig(pool).build();
        try {
            String pong = app.ping();
            if (!"PONG".equals(pong)) {
                throw new IllegalStateException(where + " answered PING with " + pong);
            }
        } catch (JedisAccessControlException e) {
            app.close();
            throw new IllegalStateException(where + " refused the credentials: " + e.getMessage());
        } catch (JedisDataException e) {
            app.close();
            throw new IllegalStateException(where + " refused the connection: " + e.getMessage());
        } catch (JedisException e) {
            app.close();
            throw new IllegalStateException(where + " is unreachable: " + reason(e));
        } catch (RuntimeException e) {
            app.close();
            throw e;
        }
        this.where = where;
        if (!isQuiet()) {
            LOG.info("{} reached (db {})", where, config.db());
        }
        return app;
    }

    @Override
    protected void closeApp(RedisClient app) {
        app.close();
    }

    /** Why a connection failed, in one readable line ({@link Failures#reason}). */
    static String reason(Throwable error) {
        return Failures.reason(error);
    }

    // ------------------------------------------------------------------------------------------ the wrappers

    /**
     * Runs a wrapper's call when the service is RUNNING; otherwise answers as the original did. A command error
     * (wrong type, …) is the caller's. When the call fails for want of Redis, a PING tells a slow command (the
     * caller's error, the service stays) from Redis lost: then the service FAILS (one line, as at start; the JsOrc
     * loop or a refresh brings it back) — only the run the call was made on — and the call answers as not running.
     */
    private <T> T whenRunning(T otherwise, Function<RedisClient, T> call) {
        RedisClient app = getApp();
        if (app == null || !isRunning()) {
            return otherwise;
        }
        try {
            return call.apply(app);
        } catch (JedisDataException commandError) {
            throw commandError;
        } catch (JedisException e) {
            if (reachable(app)) {
                throw e;
            }
            if (getApp() == app) {
                failed(new IllegalStateException(where + " is unreachable: " + reason(e)));
            }
            return otherwise;
        }
    }

    private static boolean reachable(RedisClient app) {
        try {
            return "PONG".equals(app.ping());
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** {@code GET name}; null when absent or not running. */
    public String get(String name) {
        return whenRunning(null, app -> app.get(name));
    }

    /** {@code SET name value}; false when not running. */
    public boolean set(String name, String value) {
        return whenRunning(false, app -> "OK".equals(app.set(name, value)));
    }

    /** {@code EXISTS name}. */
    public boolean exists(String name) {
        return whenRunning(false, app -> app.exists(name));
    }

    /** {@code DEL name}: how many keys were deleted. */
    public long delete(String name) {
        return whenRunning(0L, app -> app.del(name));
    }

    /** {@code HGET name key}. */
    public String hget(String name, String key) {
        return whenRunning(null, app -> app.hget(name, key));
    }

    /** {@code HSET name key value}: 1 when the field is new, 0 when it was updated. */
    public long hset(String name, String key, String value) {
        return whenRunning(0L, app -> app.hset(name, key, value));
    }

    /** {@code HEXISTS name key}. */
    public boolean hexists(String name, String key) {
        return whenRunning(false, app -> app.hexists(name, key));
    }

    /** {@code HDEL name key}: how many fields were deleted. */
    public long hdel(String name, String key) {
        return whenRunning(0L, app -> app.hdel(name, key));
    }

    /** {@code HKEYS name}, sorted. */
    public List<String> hkeys(String name) {
        return whenRunning(List.of(), app -> {
            Set<String> keys = app.hkeys(name);
            return keys.stream().sorted().toList();
        });
    }

    /** The hash that holds the shared config globs (the original's, and the shared glob tier's). */
    public static final String GLOBS_HASH = "global";

    /**
     * {@code FLUSHDB} of this service's database; false when not running.
     *
     * @throws IllegalStateException (nothing flushed) when the database holds the shared config globs (hash
     *     {@value #GLOBS_HASH}): every node's configuration would go
     */
    public boolean clear() {
        return whenRunning(false, app -> {
            // WATCH + MULTI on one connection: a node writing the shared globs between the check and the flush
            // aborts the flush instead of losing every node's configuration
            try (Connection connection = app.getPool().getResource()) {
                Jedis jedis = new Jedis(connection);
                jedis.watch(GLOBS_HASH);
                if (jedis.exists(GLOBS_HASH)) {
                    jedis.unwatch();
                    throw refusedFlush();
                }
                Transaction transaction = jedis.multi();
                transaction.sendCommand(Protocol.Command.FLUSHDB, new String[0]);
                List<Object> done = transaction.exec();
                if (done == null || done.isEmpty()) {
                    throw refusedFlush();
                }
                return true;
            }
        });
    }

    private static IllegalStateException refusedFlush() {
        return new IllegalStateException("FLUSHDB refused: this database holds the shared config globs (hash "
                + GLOBS_HASH + "); nothing was flushed");
    }

}
