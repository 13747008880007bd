package io.jsorc.globs.internal.schema;

import java.util.List;
import java.util.Optional;

/**
 * The shape of one config glob: its fields, flat, each named by a dotted path into the JSON object
 * ({@code kubernetes.in_cluster}), as a MetaType object class definition holds them.
 *
 * @param name the glob name
 * @param title the human name (the OCD's name), never null
 * @param description may be empty, never null
 * @param fields in declaration order
 * @param declared true when the service declared it (an {@code @ObjectClassDefinition}); false when it was inferred
 *     from the glob's defaults or value (a form only: nothing is validated against an inferred schema)
 * @param source where it comes from: the declaring bundle's symbolic name, or {@code inferred}
 */
public record GlobSchema(String name, String title, String description, List<Field> fields, boolean declared,
        String source) {

    public GlobSchema {
        fields = List.copyOf(fields);
    }

    /** The field with this id. */
    public Optional<Field> field(String id) {
        return fields.stream().filter(f -> f.id().equals(id)).findFirst();
    }

    /** The MetaType attribute types. */
    public enum Type {
        STRING, LONG, INTEGER, SHORT, CHARACTER, BYTE, DOUBLE, FLOAT, BOOLEAN, PASSWORD;

        /** The type named in metatype XML ({@code String}, {@code Integer}, {@code Char}, …), or null. */
        static Type ofXml(String text) {
            if (text == null) {
                return STRING;
            }
            return switch (text) {
                case "String" -> STRING;
                case "Long" -> LONG;
                case "Integer" -> INTEGER;
                case "Short" -> SHORT;
                case "Char", "Character" -> CHARACTER;
                case "Byte" -> BYTE;
                case "Double" -> DOUBLE;
                case "Float" -> FLOAT;
                case "Boolean" -> BOOLEAN;
                case "Password" -> PASSWORD;
                default -> null;
            };
        }

        /** The {@code org.osgi.service.metatype.AttributeDefinition} constant of this type. */
        public int metatype() {
            return switch (this) {
                case STRING -> 1;
                case LONG -> 2;
                case INTEGER -> 3;
                case SHORT -> 4;
                case CHARACTER -> 5;
                case BYTE -> 6;
                case DOUBLE -> 7;
                case FLOAT -> 8;
                case BOOLEAN -> 11;
                case PASSWORD -> 12;
            };
        }

        boolean integral() {
            return this == LONG || this == INTEGER || this == SHORT || this == BYTE;
        }

        boolean decimal() {
            return this == DOUBLE || this == FLOAT;
        }

        boolean text() {
            return this == STRING || this == PASSWORD || this == CHARACTER;
        }

        /** How a refusal names it: "an integer", "a boolean", … */
        String article() {
            return switch (this) {
                case STRING, PASSWORD -> "a string";
                case CHARACTER -> "a single character";
                case LONG, INTEGER, SHORT, BYTE -> "an integer";
                case DOUBLE, FLOAT -> "a number";
                case BOOLEAN -> "a boolean";
            };
        }
    }

    /** One choice of a field with options. */
    public record Option(String label, String value) {
    }

    /**
     * One attribute.
     *
     * @param id the dotted path of the value in the glob
     * @param cardinality 0 for one value, otherwise a JSON list of at most {@code |cardinality|} values
     *     ({@link Integer#MAX_VALUE} or {@link Integer#MIN_VALUE}: unbounded)
     * @param defaults the default value(s) as MetaType texts (empty: none)
     * @param min may be null; for numbers the smallest value, for strings the shortest length
     * @param max may be null
     * @param required whether an explicit null is refused (MetaType's {@code required}, true unless declared false);
     *     an absent key is always accepted (the service's defaults fill it)
     */
    public record Field(String id, String title, String description, Type type, int cardinality,
            List<String> defaults, List<Option> options, String min, String max, boolean required) {

        public Field {
            defaults = List.copyOf(defaults);
            options = List.copyOf(options);
        }

        public boolean multiple() {
            return cardinality != 0;
        }

        /** How many values a list may hold at most. */
        public int maxValues() {
            return cardinality == Integer.MIN_VALUE ? Integer.MAX_VALUE : Math.abs(cardinality);
        }
    }
}
