package io.jsorc.redis.internal.shared;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.jsorc.api.config.Origin;
import io.jsorc.api.config.StoredGlob;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * The shared store's Lua scripts (resources beside this class, run with EVALSHA and loaded again when a restarted
 * Redis forgot them) and the encoding of what they store: an origin and time as compact JSON ({@code meta}), replies
 * as RESP2 arrays.
 *
 * <p>Thread-safety: thread-safe.
 */
final class Scripts {

    private static final Logger LOG = LoggerFactory.getLogger(Scripts.class);
    static final List<String> NAMES = List.of("write", "delete", "handshake", "snapshot", "read", "expire");

    /** EVALSHA on some connection. */
    interface EvalSha {
        Object eval(String sha, List<String> keys, List<String> args);
    }

    private final Map<String, String> texts = new ConcurrentHashMap<>();
    private final Map<String, String> shas = new ConcurrentHashMap<>();

    Scripts() {
        for (String name : NAMES) {
            texts.put(name, load(name + ".lua"));
        }
    }

    /** Runs script {@code name}: EVALSHA, loading it (again) when Redis does not know it. */
    Object run(String name, List<String> keys, List<String> args, EvalSha evalsha, UnaryOperator<String> load) {
        String known = shas.get(name);
        if (known != null) {
            try {
                return evalsha.eval(known, keys, args);
            } catch (JedisNoScriptException e) {
                LOG.debug("Redis forgot script {} (restarted): loading it again", name);
            }
        }
        String sha = load.apply(texts.get(name));
        shas.put(name, sha);
        return evalsha.eval(sha, keys, args);
    }

    private static String load(String resource) {
        try (InputStream in = Scripts.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing script " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read script " + resource, e);
        }
    }

    // ------------------------------------------------------------------------------------------ encoding

    static String meta(Origin origin, Instant time) {
        JsonObject meta = new JsonObject();
        meta.addProperty("time", time.toString()); // ISO-8601 to the nanosecond: every node holds the same time
        meta.addProperty("actor", origin.actor());
        meta.addProperty("source", origin.source());
        meta.addProperty("node", origin.node());
        return meta.toString();
    }

    /** The origin in {@code meta}; an unreadable one reads as unknown (data in Redis is not ours to trust). */
    static Origin origin(String meta) {
        JsonObject o = object(meta);
        return new Origin(text(o, "actor"), text(o, "source"), text(o, "node"));
    }

    private static Instant time(String meta) {
        JsonObject o = object(meta);
        try {
            if (!o.has("time")) {
                return Instant.EPOCH;
            }
            JsonElement time = o.get("time");
            return time.getAsJsonPrimitive().isNumber() ? Instant.ofEpochMilli(time.getAsLong())
                    : Instant.parse(time.getAsString());
        } catch (RuntimeException e) {
            return Instant.EPOCH;
        }
    }

    private static JsonObject object(String meta) {
        if (meta == null || meta.isEmpty()) {
            return new JsonObject();
        }
        try {
            JsonElement parsed = JsonParser.parseString(meta);
            return parsed.isJsonObject() ? parsed.getAsJsonObject() : new JsonObject();
        } catch (RuntimeException e) {
            return new JsonObject();
        }
    }

    private static String text(JsonObject o, String key) {
        try {
            return o.has(key) && !o.get(key).isJsonNull() ? o.get(key).getAsString() : "unknown";
        } catch (RuntimeException e) {
            return "unknown";
        }
    }

    /**
     * A glob as the store holds it.
     *
     * @throws IllegalArgumentException when the name, JSON or revision is missing or the revision is not a number
     */
    static StoredGlob glob(String name, String json, String rev, String meta) {
        if (name == null || json == null || rev == null) {
            throw new IllegalArgumentException("incomplete glob entry (name " + name + ", revision " + rev + ")");
        }
        return new StoredGlob(name, json, Long.parseLong(rev), time(meta), origin(meta));
    }

    /** Compares two stream ids ({@code ms-seq}). */
    static int compare(String a, String b) {
        return new StreamEntryID(a).compareTo(new StreamEntryID(b));
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object reply) {
        return (List<Object>) reply;
    }

    static String str(Object reply) {
        if (reply == null) {
            return null;
        }
        return reply instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : reply.toString();
    }

    static Map<String, String> pairs(Object reply) {
        List<Object> flat = list(reply);
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            map.put(str(flat.get(i)), str(flat.get(i + 1)));
        }
        return map;
    }
}
