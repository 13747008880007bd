package io.jsorc.api.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Typed views: the component property type name mapping, conversions, defaults and nesting. */
class TypedConfigTest {

    enum Mode { SINGLE, SENTINEL }

    @interface Redis {
        String host() default "localhost";

        int port() default 6379;

        boolean enabled() default true;

        String[] keep__alive() default {};

        int pool_size() default 8;

        Mode mode() default Mode.SINGLE;

        long big();

        double ratio() default 0.5;
    }

    interface Meta {
        Kubernetes kubernetes();

        List<String> keep__alive();

        Set<Integer> ports();

        Integer missing();

        char sep();

        default String describe() {
            return "ns " + kubernetes().in__cluster();
        }
    }

    interface Kubernetes {
        boolean in__cluster();

        String config();
    }

    @Test
    void methodNamesMapToKeysAsComponentPropertyTypesDo() {
        assertEquals("keep_alive", TypedConfig.key("keep__alive"));
        assertEquals("kubernetes.in_cluster", TypedConfig.key("kubernetes_in__cluster"));
        assertEquals("a$b", TypedConfig.key("a$$b"));
        assertEquals("a-b", TypedConfig.key("a$_$b"));
        assertEquals("ab", TypedConfig.key("a$b"));
    }

    @Test
    void readsConvertedValuesAndAnnotationDefaults() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("host", "redis.local");
        values.put("port", "6380"); // a resolved $[env:] reference is text
        values.put("keep_alive", List.of("a", "b"));
        values.put("pool", Map.of("size", 3));
        values.put("mode", "SENTINEL");
        values.put("big", 9_000_000_000L);
        values.put("enabled", null);
        Redis redis = TypedConfig.view(Redis.class, values);
        assertEquals("redis.local", redis.host());
        assertEquals(6380, redis.port());
        assertTrue(redis.enabled(), "null: the member's default");
        assertArrayEquals(new String[] {"a", "b"}, redis.keep__alive());
        assertEquals(3, redis.pool_size(), "a single _ is a dot: a nested key");
        assertEquals(Mode.SENTINEL, redis.mode());
        assertEquals(9_000_000_000L, redis.big());
        assertEquals(0.5, redis.ratio());
        assertEquals(Redis.class, redis.annotationType());
        assertTrue(redis.toString().startsWith("Redis view of"));
    }

    @Test
    void nestedInterfacesListsSetsAndDefaultMethods() {
        Map<String, Object> values = Map.of("kubernetes", Map.of("in_cluster", false, "config", "/k"),
                "keep_alive", List.of("x"), "ports", List.of(1, new BigDecimal("2"), "3"), "sep", ",");
        Meta meta = TypedConfig.view(Meta.class, values);
        assertFalse(meta.kubernetes().in__cluster());
        assertEquals("/k", meta.kubernetes().config());
        assertEquals(List.of("x"), meta.keep__alive());
        assertEquals(Set.of(1, 2, 3), meta.ports());
        assertNull(meta.missing());
        assertEquals(',', meta.sep());
        assertEquals("ns false", meta.describe());
    }

    @Test
    void aValueThatCannotBeConvertedNamesItsKeyWhenRead() {
        Redis redis = TypedConfig.view(Redis.class, Map.of("port", "abc", "pool", Map.of("size", 1.5),
                "mode", "CLUSTER", "big", List.of()));
        assertEquals("port: cannot read 'abc' as a number",
                assertThrows(IllegalArgumentException.class, redis::port).getMessage());
        assertEquals("pool.size: 1.5 is not a Integer (out of range or not an integer)",
                assertThrows(IllegalArgumentException.class, redis::pool_size).getMessage());
        assertEquals("mode: cannot read 'CLUSTER' as a Mode",
                assertThrows(IllegalArgumentException.class, redis::mode).getMessage());
        assertThrows(IllegalArgumentException.class, () -> TypedConfig.view(String.class, Map.of()));
    }

    @Test
    void secretsAreMaskedInToString() {
        interface S {
            String password();
        }
        S s = TypedConfig.view(S.class, Map.of("password", "hunter2"));
        assertEquals("hunter2", s.password());
        assertFalse(s.toString().contains("hunter2"), s.toString());
        interface P {
            int api__token();
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TypedConfig.view(P.class, Map.of("api_token", "tok-123")).api__token());
        assertEquals("api_token: its value (********) cannot be read as int", e.getMessage());
        assertNull(e.getCause(), "the cause's message would quote it");
        interface N {
            int credentials_port();

            int url();
        }
        N n = TypedConfig.view(N.class, Map.of("credentials", Map.of("port", "pw-1"), "url", "redis://u:pw-2@h:1"));
        assertEquals("credentials.port: its value (********) cannot be read as int",
                assertThrows(IllegalArgumentException.class, n::credentials_port).getMessage());
        String url = assertThrows(IllegalArgumentException.class, n::url).getMessage();
        assertFalse(url.contains("pw-2"), url);
    }
}
