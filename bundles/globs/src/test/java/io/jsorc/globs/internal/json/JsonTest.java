package io.jsorc.globs.internal.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class JsonTest {

    @ParameterizedTest
    @ValueSource(strings = {"null", "{}", "[]", "[{\"a\":1},{\"b\":[null,{}]}]", "1.0", "1", "-0.5",
            "9223372036854775808", "123456789012345678901234567890", "1E+2", "\"foo\"", "true",
            "{\"a.b.c\":{\"d.e\":\"x\"}}", "{\"u\":\"é€😀\",\"z\":\"\\\"q\\\\\"}", "{\"b\":1,\"a\":2}",
            "\"${karaf.home} =:#!\""})
    void canonicalTextRoundTripsUnchanged(String text) {
        assertEquals(text, Json.write(Json.parse(text)));
    }

    @Test
    void decimalsStayDecimalAndIntegersStayIntegers() {
        assertInstanceOf(BigDecimal.class, Json.parse("1.0"));
        assertInstanceOf(Integer.class, Json.parse("1"));
        assertInstanceOf(Long.class, Json.parse("9223372036854775807"));
        assertEquals(new BigInteger("9223372036854775808"), Json.parse("9223372036854775808"));
    }

    @Test
    void negativeZeroKeepsItsSign() {
        assertEquals("[-0.0,0.0,-0.0,0]", Json.write(Json.parse("[-0.0, 0.0, -0.00, -0]")));
    }

    @Test
    void objectsKeepKeyOrderInMutableMaps() {
        Object v = Json.parse("{\"z\":1,\"a\":[1]}");
        Map<?, ?> map = assertInstanceOf(LinkedHashMap.class, v);
        assertEquals(List.of("z", "a"), List.copyOf(map.keySet()));
        ((List<Object>) map.get("a")).add(2); // mutable
        assertEquals("{\"z\":1,\"a\":[1,2]}", Json.write(v));
    }

    @Test
    void whitespaceIsNotKeptInTheCanonicalText() {
        assertEquals("{\"a\":[1,2]}", Json.write(Json.parse(" { \"a\" : [ 1 , 2 ] } ")));
    }

    @Test
    void nullIsAValue() {
        assertNull(Json.parse("null"));
        assertEquals("null", Json.write(null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"foo", "", "  ", "{\"a\":1} x", "{\"a\":1}}", "[1,]", "{a:1}", "'x'", "NaN",
            "{\"a\":1,\"a\":2}"})
    void notOneJsonValueIsRejected(String text) {
        assertThrows(IllegalArgumentException.class, () -> Json.parse(text));
    }

    @Test
    void copyIsDeepAndMutable() {
        Map<String, Object> orig = new LinkedHashMap<>(Map.of("l", List.of(1)));
        Map<String, Object> copy = (Map<String, Object>) Json.copy(orig);
        ((List<Object>) copy.get("l")).add(2);
        assertEquals(List.of(1), orig.get("l"));
    }
}
