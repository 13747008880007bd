package io.jsorc.api.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretsTest {

    private static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    @Test
    void secretKeysAreThoseWhoseLastWordIsASecretWord() {
        for (String key : List.of("pass", "password", "PASSWORD", "api_token", "apiKey", "key", "client-secret",
                "db.passwd", "credentials", "private_key")) {
            assertTrue(Secrets.isSecretKey(key), key);
        }
        for (String key : List.of("keep_alive", "monkey", "keys", "passage", "token_count", "host", "")) {
            assertFalse(Secrets.isSecretKey(key), key);
        }
    }

    @Test
    void maskHidesSecretValuesAtAnyDepthAndUrlUserInfoButNotReferencesOrNulls() {
        Object value = map("enabled", true, "key", "sk_live_1", "nested", map("api_token", 42, "name", "n"),
                "credentials", List.of("a", map("x", 1)), "url", "redis://user:pw@host:6379/1",
                "plain_url", "https://example.com/a", "password", null, "secret", "$[env:STRIPE_KEY]");
        assertEquals(map("enabled", true, "key", Secrets.MASK, "nested", map("api_token", Secrets.MASK, "name", "n"),
                "credentials", List.of(Secrets.MASK, map("x", Secrets.MASK)), "url", "redis://" + Secrets.MASK
                        + "@host:6379/1", "plain_url", "https://example.com/a", "password", null,
                "secret", "$[env:STRIPE_KEY]"), Secrets.mask(value));
        assertEquals(map("enabled", true, "key", "sk_live_1", "nested", map("api_token", 42, "name", "n"),
                "credentials", List.of("a", map("x", 1)), "url", "redis://user:pw@host:6379/1",
                "plain_url", "https://example.com/a", "password", null, "secret", "$[env:STRIPE_KEY]"), value,
                "the argument is unchanged");
    }

    @Test
    void sendingTheMaskBackKeepsTheStoredSecret() {
        Object stored = map("key", "sk_live_1", "url", "redis://u:pw@h/1", "list", List.of(map("token", "t1")),
                "other", "old");
        Object incoming = map("key", Secrets.MASK, "url", "redis://" + Secrets.MASK + "@h/1",
                "list", List.of(map("token", Secrets.MASK)), "other", "new", "added", Secrets.MASK);
        assertEquals(map("key", "sk_live_1", "url", "redis://u:pw@h/1", "list", List.of(map("token", "t1")),
                "other", "new", "added", Secrets.MASK), Secrets.keepMasked(incoming, stored));
        assertEquals(map("key", "sk_new"), Secrets.keepMasked(map("key", "sk_new"), stored), "a new secret is taken");
        assertEquals("redis://" + Secrets.MASK + "@other/1",
                Secrets.keepMasked("redis://" + Secrets.MASK + "@other/1", "https://u:pw@h/1"),
                "another scheme: nothing to keep");
    }

    @Test
    void maskedJsonIsTheStoredTextWithoutSecretsElseCompactJson() {
        GlobValue plain = glob("{ \"a\" : 1 }", map("a", 1));
        assertSame(plain.json(), Secrets.maskedJson(plain));
        GlobValue secret = glob("{\"key\":\"s\"}", map("key", "s", "quote", "a\"b\\c\n", "n", new BigDecimal("1.0"),
                "list", new ArrayList<>(Arrays.asList(true, null, "\u0001"))));
        assertEquals("{\"key\":\"********\",\"quote\":\"a\\\"b\\\\c\\n\",\"n\":1.0,\"list\":[true,null,\"\\u0001\"]}",
                Secrets.maskedJson(secret));
    }

    private static GlobValue glob(String json, Object value) {
        return new GlobValue(new StoredGlob("G", json, 1, Instant.EPOCH, Origin.local("t", "test")), value);
    }

    @Test
    void referencesAreResolvedFromTheEnvironmentAndFiles(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("stripe.key");
        Files.writeString(file, "sk_from_file\n");
        Object resolved = Secrets.resolve(map("key", "$[file:" + file + "]", "path", "$[env:PATH]",
                "url", "redis://u:$[file:" + file + "]@h", "n", List.of("$[env:PATH]", 1)));
        assertEquals(map("key", "sk_from_file", "path", System.getenv("PATH"), "url", "redis://u:sk_from_file@h",
                "n", List.of(System.getenv("PATH"), 1)), resolved);
        assertTrue(Secrets.isReference("$[env:X]"));
        assertFalse(Secrets.isReference("$[nope:X]"));

        IllegalArgumentException unset = assertThrows(IllegalArgumentException.class,
                () -> Secrets.resolve(map("key", "$[env:JSORC_SURELY_UNSET_42]")));
        assertEquals("$[env:JSORC_SURELY_UNSET_42]: environment variable JSORC_SURELY_UNSET_42 is not set",
                unset.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> Secrets.resolve("$[file:" + dir.resolve("absent") + "]"));
        assertTrue(missing.getMessage().startsWith("$[file:" + dir.resolve("absent") + "]: cannot read"),
                missing.getMessage());
    }
}
