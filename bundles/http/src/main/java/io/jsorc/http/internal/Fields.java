package io.jsorc.http.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Set;

/**
 * The fields of one request body, checked against what its function takes: an unknown field, a missing one or one of
 * the wrong type is refused with 400 naming the field.
 */
final class Fields {

    private final ObjectNode body;

    private Fields(ObjectNode body) {
        this.body = body;
    }

    /**
     * @param root the parsed body (null: no body)
     * @param allowed the fields the function takes
     */
    static Fields of(JsonNode root, Set<String> allowed) {
        if (root == null || root.isMissingNode()) {
            return new Fields(JsonNodeFactory.instance.objectNode());
        }
        if (!root.isObject()) {
            throw ApiError.badField(null, "The body must be a JSON object, not " + kind(root));
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw ApiError.badField(name, "Unknown field \"" + Abbrev.of(name, 60) + "\": this function takes "
                        + (allowed.isEmpty() ? "no fields" : new java.util.TreeSet<>(allowed)));
            }
        }
        return new Fields((ObjectNode) root);
    }

    /** A required string. */
    String text(String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            throw ApiError.badField(field, "Field \"" + field + "\" is required");
        }
        if (!node.isTextual()) {
            throw ApiError.badField(field, "Field \"" + field + "\" must be a string, not " + kind(node));
        }
        return node.textValue();
    }

    /** An optional string. */
    String text(String field, String otherwise) {
        JsonNode node = body.get(field);
        return node == null || node.isNull() ? otherwise : text(field);
    }

    /** An optional boolean. */
    boolean bool(String field, boolean otherwise) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return otherwise;
        }
        if (!node.isBoolean()) {
            throw ApiError.badField(field, "Field \"" + field + "\" must be true or false, not " + kind(node));
        }
        return node.booleanValue();
    }

    /** An optional revision: an integer, at least 0. */
    Long revision(String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong() || node.longValue() < 0) {
            throw ApiError.badField(field, "Field \"" + field + "\" must be a revision (an integer, 0 or more), not "
                    + kind(node));
        }
        return node.longValue();
    }

    /** A required value of any JSON type (null included, when present). */
    JsonNode any(String field) {
        JsonNode node = body.get(field);
        if (node == null) {
            throw ApiError.badField(field, "Field \"" + field + "\" is required");
        }
        return node;
    }

    static String kind(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT, POJO -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> "binary data";
        };
    }
}
