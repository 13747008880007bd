package io.jsorc.api.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
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
        for (String key : List.of("pass", "password", "PASSWORD", "api_token", "apiKey", "APIKey", "APIKEY", "apikey",
                "x-api-key", "key", "client-secret", "db.passwd", "credentials", "private_key", "api_keys", "tokens",
                "secrets", "db password", "pwd", "passphrase", "XMLToken")) {
            assertTrue(Secrets.isSecretKey(key), key);
        }
        for (String key : List.of("keep_alive", "secretary", "passage", "token_count", "host", "STRIPE_CONFIG", "")) {
            assertFalse(Secrets.isSecretKey(key), key);
        }
        assertFalse(Secrets.isSecretKey(null));
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
    void theValuesOfSecretDocumentsOfAManifestAreMasked() {
        Map<String, Object> manifest = Map.of("Secret", List.of(Map.of("kind", "Secret", "metadata", Map.of("name",
                "s"), "data", Map.of("password", "aHVudGVyMg=="), "stringData", Map.of("token", "t0k"))),
                "ConfigMap", List.of(Map.of("data", Map.of("k", "v"))));
        String masked = Secrets.maskedJson("REDIS_MANIFEST", manifest);
        assertFalse(masked.contains("aHVudGVyMg=="), masked);
        assertFalse(masked.contains("t0k"), masked);
        assertTrue(masked.contains("\"password\":\"" + Secrets.MASK + "\""), masked);
        assertTrue(masked.contains("\"k\":\"v\""), "other documents as they are: " + masked);
    }

    @Test
    void aKubeconfigInTheKubernetesSettingsIsMaskedAndKeptWhenTheMaskComesBack() {
        Map<String, Object> stored = Map.of("automation", true, "kubernetes", Map.of("in_cluster", false,
                "config", "apiVersion: v1\nusers: [{user: {token: t0k3n}}]"));
        String shown = Secrets.maskedJson("META_CONFIG", stored);
        assertFalse(shown.contains("t0k3n"), shown);
        Object edited = Map.of("automation", false, "kubernetes", Map.of("in_cluster", false,
                "config", Secrets.MASK));
        assertEquals(stored.get("kubernetes"), ((Map<?, ?>) Secrets.keepMasked("META_CONFIG", edited, stored))
                .get("kubernetes"), "the stored kubeconfig kept");
        Object manifest = Map.of("Secret", List.of(Map.of("kind", "Secret", "stringData", Map.of("k", "v1"))));
        Object back = Secrets.keepMasked("X_MANIFEST", Secrets.mask(manifest), manifest);
        assertEquals(manifest, back, "a Secret's values kept, never the mask itself");
        Map<String, Object> a = Map.of("kind", "Secret", "metadata", Map.of("name", "a"), "data", Map.of("k", "A"));
        Map<String, Object> b = Map.of("kind", "Secret", "metadata", Map.of("name", "b"), "data", Map.of("k", "B"));
        Object swapped = Secrets.keepMasked("X_MANIFEST", Secrets.mask(Map.of("Secret", List.of(b, a))),
                Map.of("Secret", List.of(a, b)));
        assertEquals(Map.of("Secret", List.of(b, a)), swapped, "matched by name, not position");
        assertTrue(Secrets.maskedJson("OTHER", Map.of("in_cluster", true, "config", "plain")).contains("plain"),
                "only META_CONFIG.kubernetes.config by its path");
    }

    @Test
    void urlsAreMaskedAnywhereInAStringAllOfThemUpToTheLastAt() {
        assertEquals("redis://" + Secrets.MASK + "@host", Secrets.mask("redis://u:ab/cd@host"), "a / in the password");
        assertEquals("redis://" + Secrets.MASK + "@host", Secrets.mask("redis://u:p@ss@host"), "an @ in the password");
        assertEquals(" jdbc:postgresql://" + Secrets.MASK + "@db/x", Secrets.mask(" jdbc:postgresql://u:p@db/x"));
        assertEquals("redis://" + Secrets.MASK + "@h1 redis://" + Secrets.MASK + "@h2",
                Secrets.mask("redis://a:p@h1 redis://b:q@h2"));
        assertEquals("postgres://" + Secrets.MASK + "@db/$[env:DB]", Secrets.mask("postgres://app:pw@db/$[env:DB]"),
                "a reference elsewhere in the string does not keep the password visible");
        assertEquals(map("password", Secrets.MASK), Secrets.mask(map("password", "hunter2-$[env:X]")),
                "only a value that is exactly one reference is shown");
        assertEquals(map("password", "$[env:X]"), Secrets.mask(map("password", "$[env:X]")));
    }

    @Test
    void longValuesAreMaskedInLinearTimeAndUrlsInsideThemStillFound() {
        // a 64 KiB run of scheme characters once took 19 s (the scheme was retried from every position)
        String run = "y".repeat(1024 * 1024);
        String schemes = "a://".repeat(64 * 1024);
        String spaced = "a://b ".repeat(200 * 1024);
        assertTimeoutPreemptively(java.time.Duration.ofSeconds(20), () -> {
            assertEquals(run, Secrets.mask(run));
            assertEquals(schemes, Secrets.mask(schemes));
            assertEquals(spaced, Secrets.mask(spaced));
            assertEquals(run + " redis://" + Secrets.MASK + "@h", Secrets.mask(run + " redis://u:p@h"));
        }, "masking a 1 MiB value must not hang");
        assertEquals("xredis://" + Secrets.MASK + "@h", Secrets.mask("xredis://u:p@h"));
        // a scheme after punctuation, digits or another word: masked as the old expression did
        for (String prefix : List.of("${DB_URL:-", "10:", "-", "1", "(", "\"url=", "x,")) {
            assertEquals(prefix + "postgres://" + Secrets.MASK + "@h/db", Secrets.mask(prefix + "postgres://u:p@h/db"),
                    prefix);
        }
        String longToken = "t".repeat(5000);
        assertEquals("redis://" + Secrets.MASK + "@h", Secrets.mask("redis://u:" + longToken + "@h"),
                "a user-info of any length");
        assertEquals("redis://" + Secrets.MASK + "@h2", Secrets.mask("redis://a:p@h1,redis://b:q@h2"),
                "two URLs in one token: up to the last @");
        assertEquals("://u:p@h", Secrets.mask("://u:p@h"), "no scheme");
        assertEquals("*://localhost,https://" + Secrets.MASK + "@git", Secrets.mask("*://localhost,https://u:tok@git"),
                "a URL after a '://' that is not one");
        assertEquals("a:://" + Secrets.MASK + "@h", Secrets.mask("a:://u:p@h"));
        assertEquals("redis://" + Secrets.MASK + "@h", Secrets.mask("redis://u\u2003x:p@h"), "only ASCII blanks end it");
        assertEquals("redis://h/0 @x", Secrets.mask("redis://h/0 @x"), "an @ after a blank is not the URL's");
    }

    @Test
    void sendingTheMaskBackKeepsTheStoredSecretAndNothingElse() {
        Object stored = map("key", "sk_live_1", "url", "redis://u:pw@h/1", "list", List.of(map("token", "t1")),
                "other", "old", "note", "hello");
        Object incoming = map("key", Secrets.MASK, "url", "redis://" + Secrets.MASK + "@h/1",
                "list", List.of(map("token", Secrets.MASK)), "other", "new", "note", Secrets.MASK);
        assertEquals(map("key", "sk_live_1", "url", "redis://u:pw@h/1", "list", List.of(map("token", "t1")),
                "other", "new", "note", Secrets.MASK), Secrets.keepMasked("G", incoming, stored),
                "a mask where nothing secret is stored is a plain value");
        assertEquals(map("key", "sk_new"), Secrets.keepMasked("G", map("key", "sk_new"), stored), "a new secret is taken");
        IllegalArgumentException moved = assertThrows(IllegalArgumentException.class,
                () -> Secrets.keepMasked("G", map("url", "redis://" + Secrets.MASK + "@evil/1"), stored));
        assertEquals("G.url is ********, which stands for a stored secret, but none is stored there: send the value "
                + "itself", moved.getMessage(), "a stored credential never moves to another host");
        assertThrows(IllegalArgumentException.class, () -> Secrets.keepMasked("G",
                map("list", List.of(map("token", Secrets.MASK), map("token", Secrets.MASK))), stored),
                "a list that grew: the masks stand for nothing");
        assertThrows(IllegalArgumentException.class, () -> Secrets.keepMasked("G", map("password", Secrets.MASK), null));
        assertEquals("s3cr3t", Secrets.keepMasked("API_TOKEN", Secrets.MASK, "s3cr3t"), "a secret glob name");
    }

    @Test
    void aGlobWithASecretNameIsMaskedWhole() {
        assertEquals("\"********\"", Secrets.maskedJson(glob("API_TOKEN", "\"abc\"", "abc")));
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
        return glob("G", json, value);
    }

    private static GlobValue glob(String name, String json, Object value) {
        return new GlobValue(new StoredGlob(name, json, 1, Instant.EPOCH, Origin.local("t", "test")), value);
    }

    @Test
    void referencesAreResolvedFromTheEnvironmentAndFiles(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("stripe.key");
        Files.writeString(file, "sk_from_file\r\n");
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
        assertEquals("$[file:" + dir.resolve("absent") + "]: not an absolute path to a regular file",
                missing.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Secrets.resolve("$[file:relative/path]"));
        assertThrows(IllegalArgumentException.class, () -> Secrets.resolve("$[file:" + dir + "]"), "a directory");
        Path big = dir.resolve("big");
        Files.write(big, new byte[Secrets.MAX_FILE_BYTES + 1]);
        assertEquals("$[file:" + big + "]: larger than 65536 bytes",
                assertThrows(IllegalArgumentException.class, () -> Secrets.resolve("$[file:" + big + "]")).getMessage());
        Path nested = dir.resolve("nested");
        Files.writeString(nested, "$[env:PATH]");
        assertEquals("$[env:PATH]", Secrets.resolve("$[file:" + nested + "]"), "a file's content is not resolved again");
    }
}
