package io.jsorc.http.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Checks real answers against the OpenAPI document the servlet serves: the schema of the function's declared
 * response for that status. Implements the subset of JSON Schema the document uses ({@code $ref}, {@code type} (one
 * or a list), {@code properties}, {@code required}, {@code additionalProperties: false}, {@code items},
 * {@code enum}, {@code const}, {@code minItems}, {@code maxItems}); a keyword it does not know fails the check, so
 * the document cannot outgrow it silently.
 */
final class OpenApiCheck {

    private static final List<String> KNOWN = List.of("$ref", "type", "properties", "required",
            "additionalProperties", "items", "enum", "const", "minItems", "maxItems", "description", "default",
            "minimum");

    final JsonNode doc;

    OpenApiCheck(JsonNode doc) {
        this.doc = doc;
    }

    static OpenApiCheck load() {
        try (InputStream in = AdminServlet.class.getResourceAsStream(AdminServlet.OPENAPI)) {
            return new OpenApiCheck(new ObjectMapper().readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The problems of {@code body} as the answer of {@code fn} with {@code status}; empty when it conforms. */
    List<String> check(String fn, int status, JsonNode body) {
        List<String> problems = new ArrayList<>();
        JsonNode operation = doc.path("paths").path(AdminServlet.PATH + "/" + fn).path("post");
        if (operation.isMissingNode()) {
            problems.add("no path for " + fn);
            return problems;
        }
        JsonNode response = resolve(operation.path("responses").path(Integer.toString(status)));
        if (response.isMissingNode()) {
            problems.add(fn + " answered " + status + ", which the document does not declare");
            return problems;
        }
        validate(response.path("content").path("application/json").path("schema"), body, fn + "/" + status, problems);
        return problems;
    }

    JsonNode resolve(JsonNode node) {
        while (node.has("$ref")) {
            String[] parts = node.get("$ref").asText().substring(2).split("/");
            JsonNode target = doc;
            for (String part : parts) {
                target = target.path(part);
            }
            if (target.isMissingNode()) {
                throw new AssertionError("unresolved $ref " + node.get("$ref").asText());
            }
            node = target;
        }
        return node;
    }

    void validate(JsonNode schema, JsonNode value, String at, List<String> problems) {
        schema = resolve(schema);
        for (Iterator<String> keys = schema.fieldNames(); keys.hasNext(); ) {
            String key = keys.next();
            if (!KNOWN.contains(key)) {
                problems.add(at + ": schema keyword " + key + " is not checked by this test");
            }
        }
        if (schema.has("type")) {
            List<String> types = new ArrayList<>();
            schema.get("type").forEach(t -> types.add(t.asText()));
            if (schema.get("type").isTextual()) {
                types.add(schema.get("type").asText());
            }
            if (types.stream().noneMatch(t -> is(t, value))) {
                problems.add(at + ": " + value.getNodeType() + " is not " + types);
                return;
            }
        }
        if (schema.has("const") && !schema.get("const").equals(value)) {
            problems.add(at + ": " + value + " is not " + schema.get("const"));
        }
        if (schema.has("enum")) {
            boolean found = false;
            for (JsonNode option : schema.get("enum")) {
                found |= option.equals(value);
            }
            if (!found) {
                problems.add(at + ": " + value + " is not one of " + schema.get("enum"));
            }
        }
        if (value.isObject()) {
            JsonNode properties = schema.path("properties");
            schema.path("required").forEach(r -> {
                if (!value.has(r.asText())) {
                    problems.add(at + ": required " + r.asText() + " is missing");
                }
            });
            for (Iterator<Map.Entry<String, JsonNode>> fields = value.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (properties.has(field.getKey())) {
                    validate(properties.get(field.getKey()), field.getValue(), at + "." + field.getKey(), problems);
                } else if (schema.path("additionalProperties").isBoolean()
                        && !schema.get("additionalProperties").asBoolean()) {
                    problems.add(at + ": " + field.getKey() + " is not in the document");
                }
            }
        }
        if (value.isArray()) {
            if (schema.has("minItems") && value.size() < schema.get("minItems").asInt()
                    || schema.has("maxItems") && value.size() > schema.get("maxItems").asInt()) {
                problems.add(at + ": " + value.size() + " items");
            }
            if (schema.has("items")) {
                for (int i = 0; i < value.size(); i++) {
                    validate(schema.get("items"), value.get(i), at + "[" + i + "]", problems);
                }
            }
        }
    }

    private static boolean is(String type, JsonNode value) {
        return switch (type) {
            case "string" -> value.isTextual();
            case "integer" -> value.isIntegralNumber();
            case "number" -> value.isNumber();
            case "boolean" -> value.isBoolean();
            case "array" -> value.isArray();
            case "object" -> value.isObject();
            case "null" -> value.isNull();
            default -> throw new AssertionError("unknown type " + type);
        };
    }
}
