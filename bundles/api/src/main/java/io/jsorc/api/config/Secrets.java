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
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which glob values are secret, how they are shown, and secret references.
 *
 * <p><b>Secret</b>: the value of a key whose last word is {@code pass}, {@code password}, {@code passwd},
 * {@code secret}, {@code token}, {@code key} or {@code credential(s)}, in any case, words split at {@code _ - .}
 * and camel case ({@code pass}, {@code api_token}, {@code apiKey}, {@code STRIPE_CONFIG.key}; not
 * {@code keep_alive}, not {@code monkey}); and the user-info part of any URL value
 * ({@code redis://user:pw@host}). Every surface of the platform (console, HTTP, logs, history, audit) shows them as
 * {@link #MASK}; sending {@link #MASK} back in an edit keeps the stored value ({@link #keepMasked}).
 *
 * <p><b>References</b>: a string value may hold {@code $[env:NAME]} or {@code $[file:/path]} instead of the secret,
 * alone or inside a longer string; it is stored and shown as written, and resolved ({@link #resolve}) only when a
 * service's settings are built. A reference is not secret, so it is never masked.
 *
 * <p>Thread-safety: stateless; every method returns new values and changes none of its arguments.
 *
 * @since 1.1
 */
public final class Secrets {

    /** What a secret is shown as. */
    public static final String MASK = "********";

    private static final Set<String> SECRET_WORDS =
            Set.of("pass", "password", "passwd", "secret", "token", "key", "credential", "credentials");
    private static final Pattern URL_USER_INFO = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*://)([^/@\\s]+)@");
    private static final Pattern REFERENCE = Pattern.compile("\\$\\[(env|file):([^\\]]+)\\]");

    private Secrets() {
    }

    /**
     * Whether values under {@code key} are secret.
     *
     * @param key a map key
     * @return true when its last word is a secret word
     */
    public static boolean isSecretKey(String key) {
        String[] words = key.replaceAll("([a-z0-9])([A-Z])", "$1_$2").split("[_.\\-]+");
        return words.length > 0 && SECRET_WORDS.contains(words[words.length - 1].toLowerCase(Locale.ROOT));
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
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(String.valueOf(k), mask(v, secret || isSecretKey(String.valueOf(k)))));
            return copy;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>();
            list.forEach(item -> copy.add(mask(item, secret)));
            return copy;
        }
        if (value == null || isReference(value)) {
            return value;
        }
        if (secret) {
            return MASK;
        }
        if (value instanceof String text) {
            Matcher url = URL_USER_INFO.matcher(text);
            if (url.find()) {
                return url.replaceFirst(Matcher.quoteReplacement(url.group(1) + MASK + "@"));
            }
        }
        return value;
    }

    /**
     * The JSON text of a glob as it may be shown: its stored text when nothing in it is secret, else its masked
     * value as compact JSON.
     *
     * @param glob a glob read from the store
     * @return JSON text without secrets
     */
    public static String maskedJson(GlobValue glob) {
        Object masked = mask(glob.value());
        if (masked == null ? glob.value() == null : masked.equals(glob.value())) {
            return glob.json();
        }
        StringBuilder json = new StringBuilder();
        write(masked, json);
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

    private static void quote(String text, StringBuilder json) {
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
     * {@code incoming} with every {@link #MASK} that stands where {@code stored} has a secret replaced by the stored
     * value: an editor that got masked values can send them back unchanged without erasing the secrets.
     *
     * @param incoming the value being written
     * @param stored the value stored now, or null
     * @return the value to store
     */
    public static Object keepMasked(Object incoming, Object stored) {
        if (incoming instanceof Map<?, ?> map && stored instanceof Map<?, ?> old) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(String.valueOf(k), keepMasked(v, old.get(k))));
            return copy;
        }
        if (incoming instanceof List<?> list && stored instanceof List<?> old && list.size() == old.size()) {
            List<Object> copy = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                copy.add(keepMasked(list.get(i), old.get(i)));
            }
            return copy;
        }
        if (incoming instanceof String text && stored != null && text.contains(MASK)) {
            if (MASK.equals(text)) {
                return stored;
            }
            if (stored instanceof String old) {
                Matcher was = URL_USER_INFO.matcher(old);
                Matcher now = URL_USER_INFO.matcher(text);
                if (was.find() && now.find() && MASK.equals(now.group(2)) && was.group(1).equals(now.group(1))) {
                    return now.replaceFirst(Matcher.quoteReplacement(now.group(1) + was.group(2) + "@"));
                }
            }
        }
        return incoming;
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
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(String.valueOf(k), resolve(v)));
            return copy;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>();
            list.forEach(item -> copy.add(resolve(item)));
            return copy;
        }
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
        try {
            String content = Files.readString(Path.of(name), StandardCharsets.UTF_8);
            return content.endsWith("\n") ? content.substring(0, content.length() - 1) : content;
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("$[file:" + name + "]: cannot read " + name + " (" + e.getMessage() + ")");
        }
    }
}
