package io.jsorc.kube.internal;

import static io.jsorc.kube.internal.Fixture.NS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.jsorc.api.ServiceState;
import io.jsorc.api.spi.ManifestApplier;
import io.jsorc.testkit.TestKit;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The cluster side as the loop and the console use it: the real MetaService and glob store, the mock API server. */
@EnableKubernetesMockClient(crud = true, https = false)
class KubeApplierTest {

    KubernetesMockServer server;
    KubernetesClient client;
    private TestKit kit;
    private KubeApplier applier;

    private static final String APP = """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: app-config}
            data: {a: "1", b: "2"}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: app}
            spec:
              replicas: 1
              selector: {matchLabels: {app: demo}}
              template:
                metadata: {labels: {app: demo}}
                spec: {containers: [{name: main, image: nginx}]}
            """;

    @BeforeEach
    void setUp() {
        KubeServiceTest.stubVersion(server);
        kit = TestKit.create();
        metaConfig(true);
        kit.register(KubeService.NAME, KubeService::new);
        awaitKube(ServiceState.RUNNING);
        applier = new KubeApplier(kit.meta(), kit.globs(), null, java.time.Clock.systemUTC());
    }

    private void metaConfig(boolean automation) {
        kit.globs().set("META_CONFIG", "{\"automation\":" + automation + ",\"namespace\":\"" + NS
                + "\",\"kubernetes\":{\"in_cluster\":false,\"config\":" + json(KubeServiceTest.kubeconfig(
                        server.url("/"))) + "}}", null, TestKit.TEST);
        kit.meta().refresh("meta");
        if (kit.meta().info(KubeService.NAME).isPresent()) {
            awaitKube(ServiceState.RUNNING);
        }
    }

    private void awaitKube(ServiceState state) {
        Awaitility.await("kube " + state).atMost(Duration.ofSeconds(20)).until(() -> kit.meta()
                .info(KubeService.NAME).map(i -> i.state()).orElse(null) == state);
    }

    private static String json(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }

    @AfterEach
    void tearDown() throws Exception {
        applier.deactivate();
        kit.close();
    }

    @Test
    void applyYamlStoresAVersionedManifestAndTouchesNothing() throws Exception {
        Fixture.drain(server);
        Map<String, Object> stored = applier.applyYaml("DEMO_MANIFEST", APP, "", false, TestKit.TEST);

        assertEquals(List.of("ConfigMap", "Deployment"), List.copyOf(stored.keySet()));
        assertEquals(stored, kit.globs().get("DEMO_MANIFEST").orElseThrow().value());
        assertTrue(Fixture.drain(server).isEmpty(), "apply_yaml only stores");
        assertNull(client.configMaps().inNamespace(NS).withName("app-config").get());
    }

    @Test
    void badInputIsOneErrorAndStoresNothing() {
        assertThrows(IllegalArgumentException.class, () -> applier.applyYaml("demo", APP, "", false, TestKit.TEST));
        assertThrows(IllegalArgumentException.class, () -> applier.applyYaml("DEMO_MANIFEST", "kind: [", "", false,
                TestKit.TEST));
        assertFalse(kit.globs().exists("DEMO_MANIFEST"));
        assertFalse(kit.globs().exists("demo"));
    }

    @Test
    void theLoopsApplyCreatesThenReportsReadyOnceThePodsAreAndStatusShowsIt() throws Exception {
        Map<String, Object> stored = applier.applyYaml("DEMO_MANIFEST", APP, "", false, TestKit.TEST);
        Map<String, Object> manifest = new java.util.LinkedHashMap<>(stored);

        ManifestApplier.Applied first = applier.apply("demo", manifest, Map.of(), NS);

        assertFalse(first.ready());
        assertTrue(first.note().contains("2 created"), first.note());
        assertTrue(first.note().contains("Deployment app: 0/1 pods Running and Ready"), first.note());
        client.pods().inNamespace(NS).resource(new PodBuilder().withNewMetadata().withName("app-1")
                .addToLabels("app", "demo").endMetadata().withNewStatus().withPhase("Running").addNewCondition()
                .withType("Ready").withStatus("True").endCondition().endStatus().build()).create();

        ManifestApplier.Applied second = applier.apply("demo", manifest, Map.of(), NS);

        assertTrue(second.ready(), second.note());
        assertTrue(second.note().contains("2 unchanged"), second.note());
        ManifestApplier.ManifestStatus status = applier.manifests().get(0);
        assertEquals("DEMO_MANIFEST", status.glob());
        assertEquals(2, status.objects());
        assertTrue(status.ready());
        assertEquals(ManifestYaml.highestVersion(stored).toPlainString(), status.version());
        assertTrue(applier.describe().contains("namespace " + NS), applier.describe());
    }

    @Test
    void theKubeServiceDownIsOneLineAndNoApply() throws Exception {
        server.shutdown();
        kit.meta().refresh(KubeService.NAME);
        awaitKube(ServiceState.FAILED);
        assertTrue(applier.describe().startsWith("Kubernetes unreachable: kube is FAILED: "), applier.describe());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> applier.apply("demo",
                Map.of("ConfigMap", List.of()), Map.of(), NS));
        assertTrue(e.getMessage().startsWith("Kubernetes unreachable"), e.getMessage());
    }

    @Test
    void loadYamlNeedsAutomationAndCreatesObjectsNobodyOwns() throws Exception {
        metaConfig(false);
        assertEquals(Map.of("message", "load_yaml is not supported on non automated JsOrc!"),
                applier.loadYaml(APP, "elsewhere", TestKit.TEST));
        assertNull(client.configMaps().inNamespace("elsewhere").withName("app-config").get());

        metaConfig(true);
        Map<String, Object> created = applier.loadYaml(APP, "elsewhere", TestKit.TEST);
        assertEquals(List.of("ConfigMap", "Deployment"), List.copyOf(created.keySet()));
        ConfigMap config = client.configMaps().inNamespace("elsewhere").withName("app-config").get();
        assertNotNull(config);
        assertNull(config.getMetadata().getLabels() == null ? null
                : config.getMetadata().getLabels().get(Reconciler.OWNER), "nobody's: never pruned");
    }

    @Test
    void aLastAppliedOver200KiBIsTakenFromTheManifestHistory() throws Exception {
        String big = "x".repeat(Reconciler.LAST_APPLIED_MAX + 1);
        applier.applyYaml("DEMO_MANIFEST", """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: big}
                data: {big: %s, dropped: "1"}
                """.formatted(big), "", false, TestKit.TEST);
        applier.applyNow("DEMO_MANIFEST");
        ConfigMap v1 = client.configMaps().inNamespace(NS).withName("big").get();
        assertNull(v1.getMetadata().getAnnotations().get(Reconciler.LAST_APPLIED));
        assertNotNull(v1.getMetadata().getAnnotations().get(Reconciler.LAST_APPLIED_VERSION));

        applier.applyYaml("DEMO_MANIFEST", """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: big}
                data: {big: %s}
                """.formatted(big), "", false, TestKit.TEST);
        applier.applyNow("DEMO_MANIFEST");

        assertFalse(client.configMaps().inNamespace(NS).withName("big").get().getData().containsKey("dropped"),
                "what we applied last was found in history, so the dropped key was removed");
    }

    @Test
    void thePlanOfAFileReadsOnlyAndStoresNothing() throws Exception {
        applier.applyYaml("DEMO_MANIFEST", APP, "", false, TestKit.TEST);
        applier.applyNow("DEMO_MANIFEST");
        long revision = kit.globs().get("DEMO_MANIFEST").orElseThrow().revision();
        long writes = applier.writes();
        Fixture.drain(server);

        Reconciler.Result plan = applier.plan("DEMO_MANIFEST", APP.replace("b: \"2\"", "b: \"3\""), false, "");

        assertEquals(2, plan.count(Reconciler.Action.UPDATE));
        assertEquals(writes, applier.writes());
        assertTrue(Fixture.drain(server).stream().allMatch(r -> r.startsWith("GET ")));
        assertEquals(revision, kit.globs().get("DEMO_MANIFEST").orElseThrow().revision(), "nothing stored");
    }

    @Test
    void aRollbackStillPrunesKindsOnlyLaterVersionsHad() throws Exception {
        Map<String, Object> v1 = applier.applyYaml("DEMO_MANIFEST", APP, "", false, TestKit.TEST);
        applier.applyNow("DEMO_MANIFEST");
        applier.applyYaml("DEMO_MANIFEST", APP + """
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: extra}
                spec: {ports: [{port: 80}]}
                """, "", false, TestKit.TEST);
        applier.applyNow("DEMO_MANIFEST");
        assertNotNull(client.services().inNamespace(NS).withName("extra").get());

        kit.globs().setValue("DEMO_MANIFEST", v1, null, TestKit.TEST);      // as config-rollback writes it
        applier.applyNow("DEMO_MANIFEST");

        assertNull(client.services().inNamespace(NS).withName("extra").get(), "the Service kind came from history");
    }
}
