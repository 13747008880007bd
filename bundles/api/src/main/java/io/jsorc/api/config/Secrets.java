package io.jsorc.api.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which glob values are secret, how they are shown, and secret references.
 *
 * <p><b>Secret</b> (at least): the value of a key that ends, in any case and ignoring every character but letters
 * and digits, in {@code pass}, {@code passwd}, {@code password}, {@code passphrase}, {@code pwd}, {@code secret(s)},
 * {@code token(s)}, {@code key(s)} or {@code credential(s)} ({@code pass}, {@code api_token}, {@code apiKey},
 * {@code APIKEY}, {@code x-api-key}, {@code STRIPE_CONFIG.key}; not {@code keep_alive}, not {@code secretary}) —
 * at any depth, whatever its type; and the user-info part of every URL in a string value
 * ({@code redis://user:pw@host}). Later versions may add words: never rely on a value staying unmasked. The
 * platform's console ({@code config-get}, {@code config-set}'s answer) shows them as {@link #MASK}; sending
 * {@link #MASK} back in an edit keeps the stored value ({@link #keepMasked}).
 *
 * <p><b>References</b>: a string value may hold {@code $[env:NAME]} or {@code $[file:/absolute/path]} instead of
 * the secret, alone or inside a longer string; it is stored and shown as written, and resolved ({@link #resolve})
 * only when a service's settings are built. A value that is exactly one reference is not secret, so it is shown;
 * anything else in a secret place is masked.
 *
 * <p>Thread-safety: stateless; no method changes its arguments (a result may share parts with them).
 *
 * @since 1.1
 */
public final class Secrets {

    /** What a secret is shown as. */
    public static final String MASK = "********";

    private static final List<String> SECRET_ENDINGS = List.of("pass", "passwd", "password", "passphrase", "pwd",
            "secret", "secrets", "token", "tokens", "key", "keys", "credential", "credentials");
    private static final Pattern ONE_REFERENCE = Pattern.compile("\\$\\[(env|file):[^\\]]+\\]");
    /** The most a {@code $[file:...]} reference reads. */
    static final int MAX_FILE_BYTES = 64 * 1024;
    private static final Pattern REFERENCE = Pattern.compile("\\$\\[(env|file):([^\\]]+)\\]");

    private Secrets() {
    }

    /**
     * Whether values under {@code key} (or a glob of that name) are secret.
     *
     * @param key a map key or glob name; null is not secret
     * @return true when it ends in a secret word
     */
    public static boolean isSecretKey(String key) {
        if (key == null) {
            return false;
        }
        String letters = key.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        return SECRET_ENDINGS.stream().anyMatch(letters::endsWith);
    }

    /**
     * Whether the value at {@code key} of {@code map} is secret: a secret key ({@link #isSecretKey}), the values of a
     * Kubernetes {@code Secret} object ({@code data}, {@code stringData} of a map whose {@code kind} is
     * {@code Secret}: the documents of a manifest), or a kubeconfig ({@code config} of the map under
     * {@code kubernetes}: {@code META_CONFIG.kubernetes.config}).
     */
    private static boolean isSecretEntry(String parent, Map<?, ?> map, String key) {
        if ("Secret".equals(key) && map.get(key) instanceof List<?> docs && !docs.isEmpty() && docs.stream()
                .allMatch(d -> d instanceof Map<?, ?> doc && "Secret".equals(doc.get("kind")))) {
            return false;   // a manifest's Secret documents: their names show, their values are masked (below)
        }
        if (isSecretKey(key)) {
            return true;
        }
        if (("data".equals(key) || "stringData".equals(key)) && "Secret".equals(map.get("kind"))) {
            return true;
        }
        return "config".equals(key) && "kubernetes".equals(parent);
    }

    /**
     * {@code value} with every secret shown as {@link #MASK}: values of secret keys (at any depth, whatever their
     * type, except null and references) and the user-info of URLs.
     *
     * @param value a glob value (plain {@code Map/List/String/Number/Boolean/null})
     * @return a masked copy
     */
    public static Object mask(Object value) {
        return mask(value, false);
    }

    private static Object mask(Object value, boolean secret) {
        return mapLeaves(value, null, secret, Secrets::maskLeaf);
    }

    private static Object maskLeaf(Object value, boolean secret) {
        if (value == null || value instanceof String text && ONE_REFERENCE.matcher(text).matches()) {
            return value;
        }
        if (secret) {
            return MASK;
        }
        if (value instanceof String text) {
            return maskUserInfo(text);
        }
        return value;
    }

    /**
     * {@code text} with the user-info of every URL masked: after each {@code ://} that follows a scheme character
     * (an ASCII letter or digit, {@code +}, {@code .}, {@code -} or {@code :}: {@code redis://}, {@code jdbc:postgresql://},
     * {@code ${URL:-postgres://}), everything up to the last {@code @} before the next blank. One pass: each
     * character is looked at a bounded number of times, so a long value (a manifest) costs no more to mask than to
     * copy — a regular expression with backtracking took 19 s on 64 KiB.
     */
    static String maskUserInfo(String text) {
        StringBuilder out = null;
        int copied = 0;
        int from = 0;
        for (int sep; (sep = text.indexOf("://", from)) >= 0; ) {
            if (sep == 0 || !isSchemeChar(text.charAt(sep - 1))) {
                from = sep + 1; // not a URL here; one may still start later in the same word
                continue;
            }
            int start = sep + 3;
            int end = start;
            while (end < text.length() && !isBlank(text.charAt(end))) {
                end++;
            }
            int at = end - 1;
            while (at >= start && text.charAt(at) != '@') {
                at--;
            }
            if (at >= start) {
                if (out == null) {
                    out = new StringBuilder(text.length());
                }
                out.append(text, copied, start).append(MASK);
                copied = at;
            }
            from = end;
        }
        return out == null ? text : out.append(text, copied, text.length()).toString();
    }

    private static boolean isSchemeChar(char c) {
        return c < 128 && (Character.isLetterOrDigit(c) || c == '+' || c == '.' || c == '-' || c == ':');
    }

    /** A blank as a regular expression's {@code \s} means it: ASCII space, tab, line breaks, form feed. */
    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
    }

    /**
     * A copy of {@code value} with every leaf (not a map or list) replaced by {@code leaf(value, secret)}, where
     * {@code secret} says whether the leaf lies under a secret key (or {@code secret} was already true).
     */
    private static Object mapLeaves(Object value, String parent, boolean secret,
            BiFunction<Object, Boolean, Object> leaf) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(String.valueOf(k), mapLeaves(v, String.valueOf(k),
                    secret || isSecretEntry(parent, map, String.valueOf(k)), leaf)));
            return copy;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>();
            list.forEach(item -> copy.add(mapLeaves(item, parent, secret, leaf)));
            return copy;
        }
        return leaf.apply(value, secret);
    }

    /**
     * The JSON text of a glob as it may be shown: its stored text when nothing in it is secret, else its masked
     * value as compact JSON.
     *
     * @param glob a glob read from the store
     * @return JSON text without secrets
     */
    public static String maskedJson(GlobValue glob) {
        Object masked = mask(glob.value(), isSecretKey(glob.name()));
        if (masked == null ? glob.value() == null : masked.equals(glob.value())) {
            return glob.json();
        }
        return json(masked);
    }

    /**
     * The masked value of glob {@code name} as compact JSON text (a secret name makes its whole value secret).
     *
     * @param name the glob's name
     * @param value its value (plain {@code Map/List/String/Number/Boolean/null})
     * @return JSON text without secrets
     */
    public static String maskedJson(String name, Object value) {
        return json(mask(value, isSecretKey(name)));
    }

    /** Compact JSON text of a plain value. */
    static String json(Object value) {
        StringBuilder json = new StringBuilder();
        write(value, json);
        return json.toString();
    }

    private static void write(Object value, StringBuilder json) {
        if (value instanceof Map<?, ?> map) {
            json.append('{');
            String comma = "";
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                json.append(comma);
                quote(String.valueOf(entry.getKey()), json);
                json.append(':');
                write(entry.getValue(), json);
                comma = ",";
            }
            json.append('}');
        } else if (value instanceof List<?> list) {
            json.append('[');
            String comma = "";
            for (Object item : list) {
                json.append(comma);
                write(item, json);
                comma = ",";
            }
            json.append(']');
        } else if (value instanceof String text) {
            quote(text, json);
        } else {
            json.append(value);          // numbers in their JSON form, booleans, null
        }
    }

    static void quote(String text, StringBuilder json) {
        json.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    if (c < 0x20) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        json.append('"');
    }

    /**
     * {@code incoming} with the stored value put back wherever {@code incoming} holds exactly what {@link #mask}
     * shows of {@code stored} there (so an editor that got masked values can send them back unchanged without erasing
     * the secrets, and cannot move a stored credential to another host: a changed masked URL is not its masked form).
     *
     * @param name the glob's name (a secret name makes its whole value secret)
     * @param incoming the value being written
     * @param stored the value stored now, or null
     * @return the value to store
     * @throws IllegalArgumentException naming the place, when a {@link #MASK} in a secret place stands for nothing
     *         stored there (a new key, a list that changed length): nothing would be kept, and a mask is no secret
     */
    public static Object keepMasked(String name, Object incoming, Object stored) {
        Object kept = keepMasked(incoming, stored, null, isSecretKey(name));
        String unmatched = unmatchedMask(kept, null, isSecretKey(name), name);
        if (unmatched != null) {
            throw new IllegalArgumentException(unmatched + " is " + MASK + ", which stands for a stored secret, but "
                    + "none is stored there: send the value itself");
        }
        return kept;
    }

    private static Object keepMasked(Object incoming, Object stored, String parent, boolean secret) {
        if (incoming instanceof Map<?, ?> map && stored instanceof Map<?, ?> old) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(String.valueOf(k), keepMasked(v, old.get(k), String.valueOf(k),
                    secret || isSecretEntry(parent, map, String.valueOf(k)))));
            return copy;
        }
        if (incoming instanceof List<?> list && stored instanceof List<?> old) {
            // Kubernetes objects (a manifest's documents) are matched by kind, namespace and name, not position:
            // reordering, adding or removing one keeps every other's stored secrets where they belong
            Map<String, Object> byIdentity = new LinkedHashMap<>();
            old.forEach(o -> {
                String id = identity(o);
                if (id != null) {
                    byIdentity.putIfAbsent(id, o);
                }
            });
            List<Object> copy = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                String id = identity(list.get(i));
                Object match = id != null ? byIdentity.get(id) : list.size() == old.size() ? old.get(i) : null;
                copy.add(match == null ? list.get(i) : keepMasked(list.get(i), match, parent, secret));
            }
            return copy;
        }
        if (incoming instanceof String text && text.contains(MASK) && stored != null && !text.equals(stored)
                && text.equals(mask(stored, secret))) {
            return stored;
        }
        return incoming;
    }

    /** Where {@code value} still holds a mask in a secret place, or null. */
    /** {@code kind/namespace/name} of a Kubernetes object, or null for anything else. */
    private static String identity(Object value) {
        if (value instanceof Map<?, ?> map && map.get("kind") instanceof String kind
                && map.get("metadata") instanceof Map<?, ?> metadata && metadata.get("name") instanceof String name) {
            return kind + "/" + metadata.get("namespace") + "/" + name;
        }
        return null;
    }

    private static String unmatchedMask(Object value, String parent, boolean secret, String path) {
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                String key = String.valueOf(entry.getKey());
                String found = unmatchedMask(entry.getValue(), key, secret || isSecretEntry(parent, map, key),
                        path + "." + key);
                if (found != null) {
                    return found;
                }
            }
        } else if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                String found = unmatchedMask(list.get(i), parent, secret, path + "[" + i + "]");
                if (found != null) {
                    return found;
                }
            }
        } else if (value instanceof String text
                && (secret && text.contains(MASK) || text.contains("://" + MASK + "@"))) {
            return path;
        }
        return null;
    }

    /**
     * Whether {@code value} is a string holding a secret reference.
     *
     * @param value any value
     * @return true for a string with {@code $[env:...]} or {@code $[file:...]}
     */
    public static boolean isReference(Object value) {
        return value instanceof String text && REFERENCE.matcher(text).find();
    }

    /**
     * {@code value} with every reference replaced by what it names: {@code $[env:NAME]} by the environment
     * variable, {@code $[file:/path]} by the file's content (UTF-8, one trailing line break removed).
     *
     * @param value a glob value
     * @return a resolved copy
     * @throws IllegalArgumentException naming the reference when a variable is not set or a file cannot be read
     */
    public static Object resolve(Object value) {
        return mapLeaves(value, null, false, (leaf, secret) -> resolveLeaf(leaf));
    }

    private static Object resolveLeaf(Object value) {
        if (!(value instanceof String text) || !isReference(text)) {
            return value;
        }
        Matcher reference = REFERENCE.matcher(text);
        StringBuilder resolved = new StringBuilder();
        while (reference.find()) {
            reference.appendReplacement(resolved, Matcher.quoteReplacement(lookUp(reference.group(1),
                    reference.group(2).trim())));
        }
        reference.appendTail(resolved);
        return resolved.toString();
    }

    private static String lookUp(String kind, String name) {
        if ("env".equals(kind)) {
            String variable = System.getenv(name);
            if (variable == null) {
                throw new IllegalArgumentException("$[env:" + name + "]: environment variable " + name + " is not set");
            }
            return variable;
        }
        Path file = Path.of(name);
        if (!file.isAbsolute() || !Files.isRegularFile(file)) {
            throw new IllegalArgumentException("$[file:" + name + "]: not an absolute path to a regular file");
        }
        byte[] bytes;
        try (var in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_FILE_BYTES + 1);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("$[file:" + name + "]: cannot read it (" + e.getClass().getSimpleName()
                    + ")");
        }
        if (bytes.length > MAX_FILE_BYTES) {
            throw new IllegalArgumentException("$[file:" + name + "]: larger than " + MAX_FILE_BYTES + " bytes");
        }
        return new String(bytes, StandardCharsets.UTF_8).replaceFirst("\r?\n$", "");

    }
}
