package io.jsorc.kube.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ManifestYamlTest {

    private static final String TWO = """
            apiVersion: v1
            kind: Service
            metadata: {name: s}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: d
              labels: {config_version: "7"}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: s2, labels: null}
            """;

    @Test
    void documentsAreGroupedByKindInOrderAndStampedWhereMissing() {
        Instant now = Instant.parse("2022-12-01T00:43:52.123456789Z");
        Map<String, Object> manifest = ManifestYaml.build(ManifestYaml.parse(TWO), null, "", false, now);

        assertEquals(List.of("Service", "Deployment"), List.copyOf(manifest.keySet()));
        assertEquals(2, ((List<?>) manifest.get("Service")).size());
        assertEquals("1669855432.123456", ManifestYaml.version(((List<?>) manifest.get("Service")).get(0)));
        assertEquals("1669855432.123456", ManifestYaml.version(((List<?>) manifest.get("Service")).get(1)),
                "labels: null is stamped (the original's defect 2 raised)");
        assertEquals("7", ManifestYaml.version(((List<?>) manifest.get("Deployment")).get(0)), "a user's version kept");
        assertFalse(manifest.containsKey(ManifestYaml.PARAPHRASE));
        assertFalse(manifest.containsKey(ManifestYaml.OLD_CONFIG), "a first version has no old names");
    }

    @Test
    void versionsStrictlyIncreaseEvenWhenTheClockDoesNot() {
        Instant now = Instant.parse("2022-12-01T00:43:52.123456Z");
        Map<String, Object> v1 = ManifestYaml.build(ManifestYaml.parse(TWO), null, "", false, now);
        Map<String, Object> v2 = ManifestYaml.build(ManifestYaml.parse(TWO), v1, "", false, now);
        Map<String, Object> v3 = ManifestYaml.build(ManifestYaml.parse(TWO), v2, "", false, now.minusSeconds(60));

        assertEquals("1669855432.123457", ManifestYaml.version(((List<?>) v2.get("Service")).get(0)));
        assertEquals(new BigDecimal("1669855432.123458"), ManifestYaml.highestVersion(v3));
    }

    @Test
    void previousNamesAndApiVersionsAreKeptAndReservedKeysAreNeverKinds() {
        Instant now = Instant.now();
        Map<String, Object> v1 = ManifestYaml.build(ManifestYaml.parse(TWO), null, "I know what I'm doing!", true,
                now);
        Map<String, Object> v2 = ManifestYaml.build(ManifestYaml.parse("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: c}
                """), v1, "", false, now);

        assertEquals(Map.of("Service", List.of("s", "s2"), "Deployment", List.of("d")), v2.get(ManifestYaml.OLD_CONFIG));
        assertEquals(Map.of("Service", "v1", "Deployment", "apps/v1"), v2.get(ManifestYaml.OLD_API_VERSIONS));
        assertFalse(v2.containsKey(ManifestYaml.PARAPHRASE), "the paraphrase authorises its own version only");
        assertFalse(v2.containsKey(ManifestYaml.ADOPT));
        Map<String, Object> v3 = ManifestYaml.build(ManifestYaml.parse(TWO), v2, "", false, now);
        assertEquals(List.of("c"), ((Map<?, ?>) v3.get(ManifestYaml.OLD_CONFIG)).get("ConfigMap"));
        assertEquals(List.of("s", "s2"), ((Map<?, ?>) v3.get(ManifestYaml.OLD_CONFIG)).get("Service"),
                "kinds of older versions stay listed, so what was never pruned is found later");
    }

    @Test
    void theParaphraseIsKeptOnlyWhenExactAlsoOnTheFirstApply() {
        assertEquals("I know what I'm doing!", ManifestYaml.build(ManifestYaml.parse(TWO), null,
                "I know what I'm doing!", false, Instant.now()).get(ManifestYaml.PARAPHRASE));
        assertFalse(ManifestYaml.build(ManifestYaml.parse(TWO), null, "i know what i'm doing!", false,
                Instant.now()).containsKey(ManifestYaml.PARAPHRASE));
    }

    @Test
    void badYamlIsOneClearError() {
        assertMessage("", "no documents");
        assertMessage("kind: Service\nmetadata: {name: x}", "has no apiVersion");
        assertMessage("apiVersion: v1\nmetadata: {name: x}", "has no kind");
        assertMessage("apiVersion: v1\nkind: Service\nmetadata: {}", "has no metadata.name");
        assertMessage("- a\n- b", "is not an object");
        assertMessage("apiVersion: v1\nkind: __OLD_CONFIG__\nmetadata: {name: x}", "reserved");
        assertMessage("apiVersion: v1\nkind: [unclosed", "Not valid YAML");
        assertMessage("a: 1\na: 2", "Not valid YAML");
    }

    @Test
    void unsafeYamlIsRefusedNotExpanded() {
        StringBuilder laughs = new StringBuilder("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n");
        laughs.append("a: &a [x, x, x, x, x, x, x, x, x]\n");
        for (char c = 'b'; c <= 'z'; c++) {
            laughs.append(c).append(": &").append(c).append(" [");
            for (int i = 0; i < 9; i++) {
                laughs.append(i == 0 ? "" : ", ").append('*').append((char) (c - 1));
            }
            laughs.append("]\n");
        }
        assertMessage(laughs.toString(), "Not valid YAML");
        assertMessage("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\nx: " + "[".repeat(200)
                + "]".repeat(200), "Not valid YAML");
        assertMessage("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\nx: !!java.io.File /etc", "Not valid YAML");
    }

    @Test
    void valuesStayJsonTimestampsAsWritten() {
        Map<String, Object> doc = ManifestYaml.parse("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: x}
                data:
                  when: 2022-12-01
                  bin: !!binary aGVsbG8=
                  7: seven
                """).get(0);
        Map<?, ?> data = (Map<?, ?>) doc.get("data");
        assertEquals("2022-12-01", data.get("when"));
        assertEquals("aGVsbG8=", data.get("bin"));
        assertTrue(data.containsKey("7"), "keys are strings");
    }

    private static void assertMessage(String yaml, String part) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ManifestYaml.parse(yaml));
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }

    @Test
    void aDocumentTwiceIsRefused() {
        assertMessage("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n---\napiVersion: v1\nkind: ConfigMap\n"
                + "metadata: {name: x}", "Document 2 (ConfigMap x) repeats document 1");
    }

    @Test
    void whatTheServerFillsIsDroppedFromAnExport() {
        Map<String, Object> manifest = ManifestYaml.build(ManifestYaml.parse("""
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: x
                  uid: 1234
                  resourceVersion: "99"
                  creationTimestamp: 2026-01-01T00:00:00Z
                  managedFields: [{manager: kubectl}]
                  generation: 3
                  annotations: {keep: me, kubectl.kubernetes.io/last-applied-configuration: '{"data":{"k":"v"}}'}
                data: {k: v}
                status: {phase: Whatever}
                """), null, "", false, Instant.now());
        Map<?, ?> doc = (Map<?, ?>) ((List<?>) manifest.get("ConfigMap")).get(0);
        assertEquals(List.of("name", "annotations", "labels"), List.copyOf(((Map<?, ?>) doc.get("metadata")).keySet()));
        assertFalse(doc.containsKey("status"));
        assertEquals(Map.of("keep", "me"), ((Map<?, ?>) doc.get("metadata")).get("annotations"),
                "kubectl's record of an export dropped");
    }
}
