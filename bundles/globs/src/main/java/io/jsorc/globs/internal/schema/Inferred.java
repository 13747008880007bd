package io.jsorc.globs.internal.schema;

import io.jsorc.api.config.Secrets;
import io.jsorc.globs.internal.schema.GlobSchema.Field;
import io.jsorc.globs.internal.schema.GlobSchema.Type;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A form for a glob whose service declared no schema, inferred from a value (its defaults, else the stored value):
 * nested objects flatten to dotted ids, a list of scalars is a multi-valued field of its first element's type, a
 * null or a string is a string, a secret key a password. Lists of objects and empty objects have no flat form and
 * are left out (the JsOrc page edits what is left out as JSON). Nothing is validated against an inferred schema.
 *
 * <p>Thread-safety: stateless.
 */
public final class Inferred {

    private Inferred() {
    }

    public static GlobSchema of(String name, Object value) {
        List<Field> fields = new ArrayList<>();
        if (value instanceof Map<?, ?> map) {
            collect("", map, fields);
        }
        return new GlobSchema(name, name, "", fields, false, "inferred");
    }

    private static void collect(String prefix, Map<?, ?> map, List<Field> fields) {
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            String id = prefix + entry.getKey();
            Object value = entry.getValue();
            boolean secret = Secrets.isSecretKey(entry.getKey().toString());
            if (value instanceof Map<?, ?> inner && !secret) {
                collect(id + ".", inner, fields);
            } else if (value instanceof List<?> list) {
                Object first = list.stream().filter(e -> e != null).map(e -> (Object) e).findFirst().orElse("");
                if (!(first instanceof Map) && !(first instanceof List)) {
                    fields.add(field(id, secret ? Type.PASSWORD : type(first), Integer.MAX_VALUE));
                }
            } else if (!(value instanceof Map)) {
                fields.add(field(id, secret ? Type.PASSWORD : type(value), 0));
            }
        }
    }

    private static Field field(String id, Type type, int cardinality) {
        return new Field(id, id, "", type, cardinality, List.of(), List.of(), null, null, false);
    }

    private static Type type(Object value) {
        if (value instanceof Boolean) {
            return Type.BOOLEAN;
        }
        if (value instanceof BigDecimal || value instanceof Double || value instanceof Float) {
            return Type.DOUBLE;
        }
        if (value instanceof Number) {
            return Type.LONG;
        }
        return Type.STRING;
    }
}
