package io.jsorc.globs.internal.configadmin;

import io.jsorc.api.config.Secrets;
import io.jsorc.globs.internal.json.Json;
import io.jsorc.globs.internal.schema.Paths;
import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Edits of a glob's configuration made field by field: the Web Console's typed form (which writes one property per
 * attribute of the glob's object class definition, beside {@code json}) or {@code config:property-set port 6380}.
 * Every property that is not one of ours or the framework's is such a field, its key a dotted path into the JSON
 * object. The fields are merged into the configuration's {@code json}: a value that only says "unchanged" keeps the
 * stored one (the Web Console's password placeholder {@code unmodified}; a {@code ********} or masked URL shown by
 * the form, by the rules of {@code Secrets.keepMasked}); an empty
 * text where the stored value is null or absent stays null (a form has no null). The glob store then validates the
 * result like any outside edit and stores it canonically, as {@code json} alone, so the fields never outlive the edit.
 *
 * <p>Thread-safety: stateless.
 */
final class FormFields {

    /** The Web Console's placeholder for a password field left as it was (Felix Web Console 4.8). */
    static final String UNMODIFIED = "unmodified";

    private FormFields() {
    }

    /** The field properties of a configuration, sorted by key (so an edit reads the same every time). */
    static Map<String, Object> of(Map<String, ?> props) {
        Map<String, Object> fields = new TreeMap<>();
        for (Map.Entry<String, ?> e : props.entrySet()) {
            if (!reserved(e.getKey())) {
                fields.put(e.getKey(), e.getValue());
            }
        }
        return fields;
    }

    static boolean reserved(String key) {
        return key.equals(GlobConfig.JSON) || key.startsWith("jsorc.") || key.startsWith("service.")
                || key.startsWith("felix.fileinstall.") || key.startsWith("webconsole.") || key.startsWith("component.")
                || key.startsWith(":");
    }

    /**
     * The JSON text of {@code json} with the fields set; the text as it is when it is not a JSON object (the store
     * then refuses it as it would anyway).
     */
    @SuppressWarnings("unchecked")
    static String merge(String name, String json, Map<String, Object> fields) {
        Map<String, Object> value;
        Object original;
        try {
            Object parsed = json == null || json.isBlank() ? new LinkedHashMap<>() : Json.parse(json);
            if (!(parsed instanceof Map)) {
                return json;
            }
            value = (Map<String, Object>) parsed;
            original = Json.parse(Json.write(parsed));
        } catch (IllegalArgumentException notJson) {
            return json;
        }
        for (Map.Entry<String, Object> field : fields.entrySet()) {
            String id = field.getKey();
            Optional<Object> stored = Paths.get(value, id);
            Object before = stored.map(Paths::value).orElse(null);
            Object after = toJson(field.getValue());
            if (unchanged(after)) {
                continue; // the form did not show the secret, so it cannot have meant to change it
            }
            if ("".equals(after) && before == null) {
                continue; // an empty text field standing for null (or nothing) stays so
            }
            if (after instanceof String text && before instanceof String old
                    && text.equals(old.replace("\r", "").replace("\n", ""))) {
                continue; // a one-line input dropped the line breaks of a text it showed unchanged
            }
            if (after instanceof List<?> list && before instanceof List<?> old && list.size() == old.size()) {
                List<Object> kept = new ArrayList<>(list);
                for (int i = 0; i < kept.size(); i++) {
                    if (unchanged(kept.get(i))) {
                        kept.set(i, old.get(i));
                    }
                }
                after = kept;
            }
            Paths.put(value, id, after);
        }
        try {
            // a masked URL or secret shown by the form and saved unchanged keeps what it stands for
            return Json.write(Secrets.keepMasked(name, value, original));
        } catch (IllegalArgumentException standsForNothing) {
            return Json.write(value);
        }
    }

    private static boolean unchanged(Object value) {
        return UNMODIFIED.equals(value);
    }

    /** A Config Admin value as a plain JSON value. */
    static Object toJson(Object value) {
        if (value == null || value instanceof String || value instanceof Boolean) {
            return value;
        }
        if (value instanceof Character c) {
            return c.toString();
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            return Double.isFinite(d) ? new BigDecimal(value.toString()) : value.toString();
        }
        if (value instanceof Number) {
            return value;
        }
        if (value.getClass().isArray()) {
            List<Object> list = new ArrayList<>();
            for (int i = 0; i < Array.getLength(value); i++) {
                list.add(toJson(Array.get(value, i)));
            }
            return list;
        }
        if (value instanceof Collection<?> collection) {
            List<Object> list = new ArrayList<>();
            collection.forEach(v -> list.add(toJson(v)));
            return list;
        }
        return value.toString();
    }
}
