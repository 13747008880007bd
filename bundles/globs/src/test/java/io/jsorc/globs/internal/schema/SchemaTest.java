package io.jsorc.globs.internal.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jsorc.api.config.GlobException;
import io.jsorc.globs.internal.json.Json;
import io.jsorc.globs.internal.schema.GlobSchema.Field;
import io.jsorc.globs.internal.schema.GlobSchema.Type;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The schema mapping: metatype XML, dotted paths, validation, inference and the form's current values. */
class SchemaTest {

    /** What bnd writes for an @ObjectClassDefinition with nesting, a list, a password, options and limits. */
    static final String XML = """
            <?xml version="1.0" encoding="UTF-8"?>
            <metatype:MetaData xmlns:metatype="http://www.osgi.org/xmlns/metatype/v1.2.0">
              <OCD id="jsorc.glob.REDIS_CONFIG" name="Redis" description="The redis service.">
                <AD id="enabled" type="Boolean" name="Enabled" default="true"/>
                <AD id="host" type="String" name="Host" default="localhost"/>
                <AD id="port" type="Integer" name="Port" min="1" max="65535" default="6379"/>
                <AD id="password" type="Password" required="false" name="Password"/>
                <AD id="pool.size" type="Integer" default="8"/>
                <AD id="hosts" type="String" cardinality="2" default="a\\,b,c"/>
                <AD id="mode" type="String" default="single">
                  <Option label="Single" value="single"/><Option label="Sentinel" value="sentinel"/>
                </AD>
                <AD id="ratio" type="Double"/>
                <AD id="tiny" type="Byte"/>
              </OCD>
              <OCD id="some.other.pid" name="x"><AD id="a" type="String"/></OCD>
              <Designate pid="some.other.pid"><Object ocdref="some.other.pid"/></Designate>
            </metatype:MetaData>
            """;

    static GlobSchema redis() throws IOException {
        Map<String, GlobSchema> read = MetatypeXml.read(new ByteArrayInputStream(XML.getBytes(StandardCharsets.UTF_8)),
                "test.bundle");
        assertEquals(List.of("REDIS_CONFIG"), List.copyOf(read.keySet()), "only jsorc.glob.* OCDs");
        return read.get("REDIS_CONFIG");
    }

    @Test
    void readsTheOcdOfAGlob() throws IOException {
        GlobSchema schema = redis();
        assertEquals("Redis", schema.title());
        assertTrue(schema.declared());
        assertEquals("test.bundle", schema.source());
        assertEquals(9, schema.fields().size());
        Field hosts = schema.field("hosts").orElseThrow();
        assertEquals(List.of("a,b", "c"), hosts.defaults(), "\\, is a comma inside a value");
        assertEquals(2, hosts.maxValues());
        assertEquals(Type.PASSWORD, schema.field("password").orElseThrow().type());
        assertEquals(2, schema.field("mode").orElseThrow().options().size());
        assertEquals("65535", schema.field("port").orElseThrow().max());
    }

    @Test
    void refusesDtdsAndBrokenXml() {
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
                + "<MetaData><OCD id=\"jsorc.glob.X\" name=\"&e;\"/></MetaData>";
        assertThrows(IOException.class, () -> MetatypeXml.read(new ByteArrayInputStream(xxe.getBytes()), "b"));
        assertThrows(IOException.class, () -> MetatypeXml.read(new ByteArrayInputStream("<MetaData>".getBytes()),
                "b"));
        String badType = "<MetaData><OCD id=\"jsorc.glob.X\"><AD id=\"a\" type=\"Date\"/></OCD></MetaData>";
        IOException e = assertThrows(IOException.class,
                () -> MetatypeXml.read(new ByteArrayInputStream(badType.getBytes()), "b"));
        assertTrue(e.getMessage().contains("unknown type Date"), e.getMessage());
    }

    @Test
    void dottedPathsFindNestedAndLiteralKeys() {
        Map<String, Object> value = map("{\"pool\":{\"size\":4},\"a.b\":1,\"n\":null}");
        assertEquals(4, Paths.value(Paths.get(value, "pool.size").orElseThrow()));
        assertEquals(1, Paths.value(Paths.get(value, "a.b").orElseThrow()), "a literal dotted key");
        assertTrue(Paths.get(value, "n").isPresent(), "present and null");
        assertNull(Paths.value(Paths.get(value, "n").orElseThrow()));
        assertTrue(Paths.get(value, "pool.other").isEmpty());
        Paths.put(value, "pool.size", 9);
        Paths.put(value, "deep.er.key", "x");
        Paths.put(value, "a.b", 2);
        assertEquals("{\"pool\":{\"size\":9},\"a.b\":2,\"n\":null,\"deep\":{\"er\":{\"key\":\"x\"}}}", Json.write(value));
    }

    @Test
    void acceptsWhatMatchesNullsReferencesAndUnknownKeys() throws IOException {
        SchemaCheck.check(redis(), map("{\"enabled\":false,\"host\":\"h\",\"port\":6380,\"password\":null,"
                + "\"pool\":{\"size\":2},\"hosts\":[\"x\"],\"mode\":\"sentinel\",\"ratio\":0.5,\"tiny\":-128,"
                + "\"extra\":{\"any\":[1]}}"));
        SchemaCheck.check(redis(), map("{\"port\":\"$[env:REDIS_PORT]\",\"password\":\"$[file:/run/pw]\"}"));
        SchemaCheck.check(redis(), map("{}"));
    }

    @Test
    void refusesWrongTypesNamingEveryField() throws IOException {
        GlobException e = assertThrows(GlobException.class, () -> SchemaCheck.check(redis(), map(
                "{\"enabled\":\"yes\",\"port\":\"6379\",\"pool\":{\"size\":1.5},\"hosts\":\"x\"}")));
        assertEquals(GlobException.Reason.INVALID_VALUE, e.reason());
        assertEquals("Value of REDIS_CONFIG does not match its schema: enabled must be a boolean, not a string; "
                + "port must be an integer, not a string; pool.size must be an integer, not 1.5; "
                + "hosts must be a list of strings, not a string", e.getMessage());
    }

    @Test
    void refusesRangesOptionsAndListSizes() throws IOException {
        assertEquals("port must be at most 65535, not 70000", message("{\"port\":70000}"));
        assertEquals("port must be at least 1, not 0", message("{\"port\":0}"));
        assertEquals("port must be between -2147483648 and 2147483647, not 9999999999",
                message("{\"port\":9999999999}"));
        assertEquals("tiny must be between -128 and 127, not 128", message("{\"tiny\":128}"));
        assertEquals("mode must be one of [single, sentinel], not 'cluster'", message("{\"mode\":\"cluster\"}"));
        assertEquals("hosts may hold at most 2 values, not 3", message("{\"hosts\":[\"a\",\"b\",\"c\"]}"));
        assertEquals("hosts[1] must be a string, not a number", message("{\"hosts\":[\"a\",1]}"));
        assertEquals("hosts[0] must not be null", message("{\"hosts\":[null]}"));
        assertEquals("password must be a string, not a number", message("{\"password\":5}"));
        assertEquals("host must not be empty (null): it is required", message("{\"host\":null}"));
    }

    private static String message(String json) throws IOException {
        GlobSchema schema = redis();
        String text = assertThrows(GlobException.class, () -> SchemaCheck.check(schema, map(json))).getMessage();
        return text.substring(text.indexOf(": ") + 2);
    }

    @Test
    void infersAFormFromDefaults() {
        GlobSchema inferred = Inferred.of("X_CONFIG", map("{\"enabled\":true,\"port\":1,\"ratio\":0.5,\"name\":null,"
                + "\"api_key\":\"k\",\"tags\":[\"a\"],\"objs\":[{\"a\":1}],\"nested\":{\"x\":false},\"empty\":{}}"));
        assertFalse(inferred.declared());
        assertEquals(List.of("enabled", "port", "ratio", "name", "api_key", "tags", "nested.x"),
                inferred.fields().stream().map(Field::id).toList(), "lists of objects and empty objects left out");
        assertEquals(List.of(Type.BOOLEAN, Type.LONG, Type.DOUBLE, Type.STRING, Type.PASSWORD, Type.STRING,
                Type.BOOLEAN), inferred.fields().stream().map(Field::type).toList());
        assertTrue(inferred.field("tags").orElseThrow().multiple());
    }

    @Test
    void theFormShowsCurrentValuesAndMasksSecrets() throws IOException {
        GlobSchema schema = redis();
        Map<String, Object> value = map("{\"host\":\"redis://u:pw@h\",\"password\":\"s3cret\",\"pool\":{\"size\":3},"
                + "\"hosts\":[\"p\",\"q\"],\"mode\":null}");
        assertEquals(List.of("redis://********@h"), List.of(GlobMetaTypes.currentDefaults(field(schema, "host"),
                value)));
        assertEquals(List.of("********"), List.of(GlobMetaTypes.currentDefaults(field(schema, "password"), value)));
        assertEquals(List.of("3"), List.of(GlobMetaTypes.currentDefaults(field(schema, "pool.size"), value)));
        assertEquals(List.of("p", "q"), List.of(GlobMetaTypes.currentDefaults(field(schema, "hosts"), value)));
        assertNull(GlobMetaTypes.currentDefaults(field(schema, "mode"), value), "null shows as empty");
        assertEquals(List.of("6379"), List.of(GlobMetaTypes.currentDefaults(field(schema, "port"), value)),
                "absent: the declared default");
    }

    private static Field field(GlobSchema schema, String id) {
        return schema.field(id).orElseThrow();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(String json) {
        return (Map<String, Object>) new LinkedHashMap<>((Map<String, Object>) Json.parse(json));
    }
}
