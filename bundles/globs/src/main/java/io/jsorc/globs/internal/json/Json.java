package io.jsorc.globs.internal.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.UntypedObjectDeserializer;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON text ⇄ plain values ({@code LinkedHashMap} in key order, {@code ArrayList}, {@code String},
 * {@code Integer/Long/BigInteger}, {@code BigDecimal}, {@code Boolean}, null), with Jackson's own untyped reading.
 * One rule is ours: a negative zero ({@code -0.0}) stays the {@code Double} -0.0, as Python's json keeps it, since
 * {@code BigDecimal} has no negative zero. Written text is compact and canonical for a value: {@code 1.0} stays
 * {@code 1.0}, {@code 1} stays {@code 1}, big integers stay exact. Duplicate keys, trailing text and nesting deeper
 * than Jackson's limit (1000) are refused.
 *
 * <p>Thread-safety: immutable and thread-safe (Jackson's mapper is thread-safe once configured).
 */
public final class Json {

    /** Longest text parsed at all (chars): far above any glob limit, so nothing huge is even read. */
    static final long MAX_TEXT = 64L * 1024 * 1024;

    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxDocumentLength(MAX_TEXT).build())
                    .build())
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .addModule(new SimpleModule("jsorc-negative-zero").addDeserializer(Object.class, new PlainValues()))
            .build();

    private Json() {
    }

    /**
     * Parses JSON text of any type.
     *
     * @throws IllegalArgumentException with Jackson's short message when the text is not one JSON value; without
     *         Jackson's exception as its cause, whose message quotes the text (a mistyped secret, say)
     */
    public static Object parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("no JSON text (null)");
        }
        if (text.isBlank()) {
            throw new IllegalArgumentException("no JSON value in an empty text");
        }
        try {
            return MAPPER.readValue(text, Object.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(describe(e));
        }
    }

    /**
     * Jackson's reason on one line, with every quoted token of 4 characters or more (a mistyped secret, say) left
     * out, and where it is: {@code Unrecognized token '(17 characters)': was expecting ... (line 1, column 18)}.
     */
    static String describe(JsonProcessingException e) {
        String message = String.valueOf(e.getOriginalMessage()).lines().findFirst().orElse("");
        StringBuilder out = new StringBuilder();
        java.util.regex.Matcher quoted = QUOTED.matcher(message);
        while (quoted.find()) {
            quoted.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(
                    "'(" + quoted.group(1).length() + " characters)'"));
        }
        quoted.appendTail(out);
        if (e.getLocation() != null && e.getLocation().getLineNr() > 0) {
            out.append(" (line ").append(e.getLocation().getLineNr()).append(", column ")
                    .append(e.getLocation().getColumnNr()).append(')');
        }
        return out.toString();
    }

    private static final java.util.regex.Pattern QUOTED = java.util.regex.Pattern.compile("'([^']{4,})'");

    /** The JSON type of a plain value, for messages that must not show the value. */
    public static String typeOf(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Map) {
            return "an object";
        }
        if (value instanceof List) {
            return "an array";
        }
        if (value instanceof String) {
            return "a string";
        }
        return value instanceof Boolean ? "a boolean" : "a number";
    }

    /** Compact JSON text of a plain value. */
    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a plain JSON value: " + e.getOriginalMessage(), e);
        }
    }

    /** A fresh, mutable deep copy of a plain value (maps and lists copied, scalars shared: they are immutable). */
    public static Object copy(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), copy(v)));
            return out;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            list.forEach(v -> out.add(copy(v)));
            return out;
        }
        return value;
    }

    /** Jackson's untyped values, except that a negative zero float is the Double -0.0. */
    private static final class PlainValues extends UntypedObjectDeserializer {

        private static final long serialVersionUID = 1L;

        PlainValues() {
            super(null, (JavaType) null);
        }

        @Override
        protected Object _deserializeFP(JsonParser parser, DeserializationContext context) throws IOException {
            BigDecimal decimal = parser.getDecimalValue();
            return decimal.signum() == 0 && parser.getText().startsWith("-") ? (Object) (-0.0d) : decimal;
        }

        /** The base class may swap itself for a plain deserializer; keep this one. */
        @Override
        public JsonDeserializer<?> createContextual(DeserializationContext context, BeanProperty property) {
            return this;
        }
    }
}
