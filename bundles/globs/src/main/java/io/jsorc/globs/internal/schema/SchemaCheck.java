package io.jsorc.globs.internal.schema;

import io.jsorc.api.config.GlobException;
import io.jsorc.api.config.GlobException.Reason;
import io.jsorc.api.config.Secrets;
import io.jsorc.globs.internal.json.Json;
import io.jsorc.globs.internal.schema.GlobSchema.Field;
import io.jsorc.globs.internal.schema.GlobSchema.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks a glob value against its declared schema. Every field present is checked: its JSON type (an integer
 * where the field is one, within the range of its type; a list of them where the field is multi-valued, at most
 * the cardinality long), its options and its min/max. Absent fields are accepted (the service's defaults fill
 * them); a null only where the field is not required (MetaType has no null: null is "empty"), as is a string that is
 * exactly one reference
 * ({@code $[env:NAME]}, {@code $[file:/path]}: resolved, never stored). Keys the schema does not name are
 * accepted: a service may read more than it declares.
 *
 * <p>Thread-safety: stateless.
 */
public final class SchemaCheck {

    private SchemaCheck() {
    }

    /**
     * @throws GlobException INVALID_VALUE naming every field that is wrong, and what is wrong with it
     */
    public static void check(GlobSchema schema, Object value) {
        if (!(value instanceof Map<?, ?> map)) {
            return; // GlobRules refuses a non-object *_CONFIG; a schema of another glob has nothing to check
        }
        List<String> problems = new ArrayList<>();
        for (Field field : schema.fields()) {
            Optional<Object> found = Paths.get(map, field.id());
            if (found.isPresent()) {
                String problem = problem(field, Paths.value(found.get()));
                if (problem != null) {
                    problems.add(problem);
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new GlobException(Reason.INVALID_VALUE,
                    "Value of " + schema.name() + " does not match its schema: " + String.join("; ", problems));
        }
    }

    /** What is wrong with {@code value} as the value of {@code field}, or null. */
    static String problem(Field field, Object value) {
        if (value == null) {
            return field.required() ? field.id() + " must not be empty (null): it is required" : null;
        }
        if (Secrets.isReference(value)) {
            return null;
        }
        if (!field.multiple()) {
            String wrong = scalarProblem(field, value);
            return wrong == null ? null : field.id() + " " + wrong;
        }
        if (!(value instanceof List<?> list)) {
            return field.id() + " must be a list of " + plural(field.type()) + ", not " + Json.typeOf(value);
        }
        if (list.size() > field.maxValues()) {
            return field.id() + " may hold at most " + field.maxValues() + " values, not " + list.size();
        }
        for (int i = 0; i < list.size(); i++) {
            Object element = list.get(i);
            String wrong = element == null ? "must not be null" : scalarProblem(field, element);
            if (wrong != null && !Secrets.isReference(element)) {
                return field.id() + "[" + i + "] " + wrong;
            }
        }
        return null;
    }

    private static String scalarProblem(Field field, Object value) {
        Type type = field.type();
        String typeWrong = "must be " + type.article() + ", not " + Json.typeOf(value);
        if (type.text()) {
            if (!(value instanceof String text)) {
                return typeWrong;
            }
            if (type == Type.CHARACTER && text.codePointCount(0, text.length()) != 1) {
                return "must be a single character, not " + text.length() + " characters";
            }
            String option = optionProblem(field, text);
            return option != null ? option : lengthProblem(field, text);
        }
        if (type == Type.BOOLEAN) {
            return value instanceof Boolean ? optionProblem(field, value.toString()) : typeWrong;
        }
        if (!(value instanceof Number number) ) {
            return typeWrong;
        }
        BigDecimal decimal = decimal(number);
        if (type.integral()) {
            if (decimal.stripTrailingZeros().scale() > 0 || number instanceof BigDecimal || number instanceof Double) {
                return "must be an integer, not " + number;
            }
            BigInteger integer = decimal.toBigIntegerExact();
            BigInteger[] range = range(type);
            if (integer.compareTo(range[0]) < 0 || integer.compareTo(range[1]) > 0) {
                return "must be between " + range[0] + " and " + range[1] + ", not " + integer;
            }
        }
        String option = optionProblem(field, number.toString());
        return option != null ? option : rangeProblem(field, decimal);
    }

    private static String optionProblem(Field field, String text) {
        if (field.options().isEmpty() || field.options().stream().anyMatch(o -> o.value().equals(text))) {
            return null;
        }
        List<String> values = field.options().stream().map(GlobSchema.Option::value).toList();
        return "must be one of " + values + ", not " + (Secrets.isSecretKey(field.id())
                || field.type() == Type.PASSWORD ? Secrets.MASK : "'" + abbreviate(text) + "'");
    }

    private static String lengthProblem(Field field, String text) {
        int length = text.length();
        Integer min = integer(field.min());
        Integer max = integer(field.max());
        if (min != null && length < min) {
            return "must be at least " + min + " characters long, not " + length;
        }
        if (max != null && length > max) {
            return "must be at most " + max + " characters long, not " + length;
        }
        return null;
    }

    private static String rangeProblem(Field field, BigDecimal value) {
        BigDecimal min = number(field.min());
        BigDecimal max = number(field.max());
        if (min != null && value.compareTo(min) < 0) {
            return "must be at least " + field.min() + ", not " + value.toPlainString();
        }
        if (max != null && value.compareTo(max) > 0) {
            return "must be at most " + field.max() + ", not " + value.toPlainString();
        }
        return null;
    }

    private static BigDecimal decimal(Number number) {
        if (number instanceof BigDecimal d) {
            return d;
        }
        if (number instanceof BigInteger i) {
            return new BigDecimal(i);
        }
        if (number instanceof Double || number instanceof Float) {
            return BigDecimal.valueOf(number.doubleValue());
        }
        return BigDecimal.valueOf(number.longValue());
    }

    private static BigInteger[] range(Type type) {
        long[] bounds = switch (type) {
            case BYTE -> new long[] {Byte.MIN_VALUE, Byte.MAX_VALUE};
            case SHORT -> new long[] {Short.MIN_VALUE, Short.MAX_VALUE};
            case INTEGER -> new long[] {Integer.MIN_VALUE, Integer.MAX_VALUE};
            default -> new long[] {Long.MIN_VALUE, Long.MAX_VALUE};
        };
        return new BigInteger[] {BigInteger.valueOf(bounds[0]), BigInteger.valueOf(bounds[1])};
    }

    private static String plural(Type type) {
        return switch (type) {
            case STRING, PASSWORD -> "strings";
            case CHARACTER -> "single characters";
            case LONG, INTEGER, SHORT, BYTE -> "integers";
            case DOUBLE, FLOAT -> "numbers";
            case BOOLEAN -> "booleans";
        };
    }

    private static Integer integer(String text) {
        BigDecimal n = number(text);
        return n == null ? null : n.intValue();
    }

    private static BigDecimal number(String text) {
        if (text == null) {
            return null;
        }
        try {
            return new BigDecimal(text.trim());
        } catch (NumberFormatException e) {
            return null; // a min/max that is not a number is ignored (the MetaType spec leaves it to the provider)
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "…";
    }
}
