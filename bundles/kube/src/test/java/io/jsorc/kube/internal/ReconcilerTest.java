package io.jsorc.kube.internal;

import static io.jsorc.kube.internal.Fixture.NS;
import static io.jsorc.kube.internal.Fixture.configMap;
import static io.jsorc.kube.internal.Fixture.drain;
import static io.jsorc.kube.internal.Fixture.manifest;
import static io.jsorc.kube.internal.Fixture.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.APIResourceBuilder;
import io.fabric8.kubernetes.api.model.APIResourceListBuilder;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class ReconcilerTest {

    KubernetesMockServer server;
    KubernetesClient client;

    private ExecutorService writers;
    private Gate gate;
    private Reconciler reconciler;
    /** As the kube service configures it: one retry of a 5xx inside the client, then the loop's backoff. */
    private KubernetesClient kube;

    /** The path of our owned-objects LIST of a core kind in the test namespace (both labels as the selector). */
    private static String ownedList(String plural) {
        return "/api/v1/namespaces/" + NS + "/" + plural + "?labelSelector=jsorc.io%2Fowner%3D" + Fixture.GLOB
                + "%2Cjsorc.io%2Fnamespace%3D" + NS;
    }

    @BeforeEach
    void setUp() {
        writers = Executors.newFixedThreadPool(4);
        gate = new Gate(() -> true);
        kube = server.createClient(b -> b.editOrNewConfig().withRequestRetryBackoffLimit(1).endConfig());
        reconciler = new Reconciler(kube, gate, writers, null, true);
    }

    @AfterEach
    void tearDown() {
        writers.shutdownNow();
        kube.close();
    }

    private static final String APP = configMap("app-config", "a: \"1\"\nb: \"2\"") + """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: app
            spec:
              replicas: 1
              selector:
                matchLabels: {app: demo}
              template:
                metadata:
                  labels: {app: demo}
                spec:
                  containers:
                    - name: main
                      image: nginx:1
                    - name: side
                      image: busybox
            ---
            apiVersion: v1
            kind: Service
            metadata:
              name: app
            spec:
              selector: {app: demo}
              ports: [{port: 80}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata:
              name: app-reader-${jsorc.namespace}
              namespace: should-be-dropped
            rules: []
            """;

    @Test
    void createsEveryObjectOwnedStampedAndInTheRightNamespace() throws Exception {
        Map<String, Object> v1 = manifest(APP, null, "", false);
        Reconciler.Result result = reconciler.apply(request(v1));

        assertEquals(4, result.count(Reconciler.Action.CREATE), result.toString());
        ConfigMap config = client.configMaps().inNamespace(NS).withName("app-config").get();
        assertNotNull(config, "namespaced objects without a namespace go to META_CONFIG.namespace");
        assertEquals(Fixture.GLOB, config.getMetadata().getLabels().get(Reconciler.OWNER));
        assertEquals(ManifestYaml.version(v1.get("ConfigMap") instanceof List<?> l ? l.get(0) : null),
                config.getMetadata().getLabels().get("config_version"));
        assertNotNull(config.getMetadata().getAnnotations().get(Reconciler.LAST_APPLIED));
        var role = client.rbac().clusterRoles().withName("app-reader-" + NS).get();
        assertNotNull(role, "cluster-scoped: no namespace, the placeholder replaced by the namespace");
        assertNull(role.getMetadata().getNamespace());
        assertNotNull(client.apps().deployments().inNamespace(NS).withName("app").get());
    }

    @Test
    void aSecondApplyOfTheSameVersionWritesNothingAndListsOncePerKind() throws Exception {
        Map<String, Object> v1 = manifest(APP, null, "", false);
        reconciler.apply(request(v1));
        drain(server);
        long writes = gate.writes();

        Reconciler.Result again = reconciler.apply(request(v1));

        assertEquals(4, again.count(Reconciler.Action.UNCHANGED));
        assertEquals(writes, gate.writes(), "no write through the gate");
        List<String> requests = drain(server);
        assertTrue(requests.stream().allMatch(r -> r.startsWith("GET ")), requests.toString());
        assertEquals(4, requests.size(), "one LIST per kind: " + requests);
    }

    @Test
    void aPatchRemovesWhatWeDroppedKeepsWhatOthersSetAndReplacesListsWhole() throws Exception {
        Map<String, Object> v1 = manifest(APP, null, "", false);
        reconciler.apply(request(v1));
        // someone else: a data key and a label of their own
        client.configMaps().inNamespace(NS).withName("app-config").edit(c -> new ConfigMapBuilder(c)
                .addToData("c", "theirs").editMetadata().addToLabels("team", "ops").endMetadata().build());

        String v2yaml = configMap("app-config", "a: \"1\"") + APP.substring(APP.indexOf("apiVersion: apps/v1"))
                .replace("        - name: side\n          image: busybox\n", "");
        Map<String, Object> v2 = manifest(v2yaml, v1, "", false);
        Reconciler.Result result = reconciler.apply(request(v2));

        assertEquals(4, result.count(Reconciler.Action.UPDATE), "a new version: every object relabelled " + result);
        ConfigMap config = client.configMaps().inNamespace(NS).withName("app-config").get();
        assertFalse(config.getData().containsKey("b"), "b removed (ours, dropped)");
        assertEquals("1", config.getData().get("a"));
        assertEquals("theirs", config.getData().get("c"), "c kept (theirs)");
        assertEquals("ops", config.getMetadata().getLabels().get("team"));
        Deployment app = client.apps().deployments().inNamespace(NS).withName("app").get();
        assertEquals(1, app.getSpec().getTemplate().getSpec().getContainers().size(), "the list replaced whole");
        assertTrue(result.steps().stream().anyMatch(s -> s.fields().stream().anyMatch(f -> f.startsWith("data.b: "))),
                result.toString());
    }

    @Test
    void objectsOfTheOldVersionArePrunedProtectedKindsOnlyWithTheParaphrase() throws Exception {
        String withClaim = APP + """
                ---
                apiVersion: v1
                kind: PersistentVolumeClaim
                metadata:
                  name: data
                spec:
                  accessModes: [ReadWriteOnce]
                  resources: {requests: {storage: 1Gi}}
                """;
        Map<String, Object> v1 = manifest(withClaim, null, "", false);
        reconciler.apply(request(v1));

        // v2: only the ConfigMap; Service, Deployment, ClusterRole and the PVC kinds are dropped entirely
        Map<String, Object> v2 = manifest(configMap("app-config", "a: \"1\""), v1, "", false);
        Reconciler.Result result = reconciler.apply(request(v2));

        assertNull(client.services().inNamespace(NS).withName("app").get(), "a kind dropped entirely is pruned");
        assertNull(client.apps().deployments().inNamespace(NS).withName("app").get());
        assertNull(client.rbac().clusterRoles().withName("app-reader-" + NS).get());
        assertNotNull(client.persistentVolumeClaims().inNamespace(NS).withName("data").get(), "protected");
        assertEquals(1, result.count(Reconciler.Action.KEPT_PROTECTED));

        Map<String, Object> v3 = manifest(configMap("app-config", "a: \"1\""), v2, "I know what I'm doing!", false);
        reconciler.apply(request(v3));
        assertNull(client.persistentVolumeClaims().inNamespace(NS).withName("data").get(), "with the paraphrase");
    }

    @Test
    void anObjectThatIsNotOursIsLeftAloneUnlessAdoptedAndNeverPruned() throws Exception {
        client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata().withName("shared")
                .endMetadata().addToData("x", "theirs").addToData("y", "kept").build()).create();
        client.persistentVolumeClaims().inNamespace(NS).resource(new PersistentVolumeClaimBuilder()
                .withNewMetadata().withName("old").endMetadata().build()).create();
        Map<String, Object> v1 = manifest(configMap("shared", "x: ours"), null, "", false);

        Reconciler.Result result = reconciler.apply(request(v1));

        assertEquals(1, result.count(Reconciler.Action.LEFT_UNOWNED));
        assertEquals("theirs", client.configMaps().inNamespace(NS).withName("shared").get().getData().get("x"));

        Map<String, Object> v2 = manifest(configMap("shared", "x: ours"), v1, "", true);
        Reconciler.Result adopted = reconciler.apply(request(v2));
        assertEquals(1, adopted.count(Reconciler.Action.ADOPT), adopted.toString());
        ConfigMap shared = client.configMaps().inNamespace(NS).withName("shared").get();
        assertEquals("ours", shared.getData().get("x"));
        assertEquals("kept", shared.getData().get("y"), "adopting is two-way: nothing removed");
        assertEquals(Fixture.GLOB, shared.getMetadata().getLabels().get(Reconciler.OWNER));

        // a previous version naming an object we do not own: never deleted, even with the paraphrase
        Map<String, Object> v3 = manifest(configMap("other", "y: z"), Map.of("PersistentVolumeClaim",
                List.of(Map.of("apiVersion", "v1", "kind", "PersistentVolumeClaim", "metadata", Map.of("name",
                        "old")))), "I know what I'm doing!", false);
        reconciler.apply(request(v3));
        assertNotNull(client.persistentVolumeClaims().inNamespace(NS).withName("old").get());
    }

    @Test
    void aDocumentsOwnNamespaceIsKept() throws Exception {
        Map<String, Object> v1 = manifest(configMap("elsewhere", "k: v").replace("name: elsewhere",
                "name: elsewhere\n  namespace: other"), null, "", false);
        reconciler.apply(request(v1));
        assertNotNull(client.configMaps().inNamespace("other").withName("elsewhere").get());
        assertNull(client.configMaps().inNamespace(NS).withName("elsewhere").get());
    }

    @Test
    void aCustomResourceKindIsFoundByDiscoveryAndAppliedPatchedAndPruned() throws Exception {
        server.expect().get().withPath("/apis/example.io/v1").andReturn(200, new APIResourceListBuilder()
                .withGroupVersion("example.io/v1").addToResources(new APIResourceBuilder().withName("widgets")
                        .withKind("Widget").withNamespaced(true).withSingularName("widget")
                        .withVerbs("get", "list", "create", "patch", "delete").build()).build()).always();
        String widget = """
                apiVersion: example.io/v1
                kind: Widget
                metadata:
                  name: w1
                spec:
                  size: 3
                """;
        Map<String, Object> v1 = manifest(widget, null, "", false);
        assertEquals(1, reconciler.apply(request(v1)).count(Reconciler.Action.CREATE));
        ResourceDefinitionContext widgets = new ResourceDefinitionContext.Builder().withGroup("example.io")
                .withVersion("v1").withKind("Widget").withPlural("widgets").withNamespaced(true).build();
        GenericKubernetesResource live = client.genericKubernetesResources(widgets).inNamespace(NS).withName("w1")
                .get();
        assertEquals(3, ((Number) ((Map<?, ?>) live.getAdditionalProperties().get("spec")).get("size")).intValue());

        Map<String, Object> v2 = manifest(widget.replace("size: 3", "size: 5"), v1, "", false);
        assertEquals(1, reconciler.apply(request(v2)).count(Reconciler.Action.UPDATE));
        live = client.genericKubernetesResources(widgets).inNamespace(NS).withName("w1").get();
        assertEquals(5, ((Number) ((Map<?, ?>) live.getAdditionalProperties().get("spec")).get("size")).intValue());

        Map<String, Object> v3 = manifest(configMap("c", "k: v"), v2, "", false);
        reconciler.apply(request(v3));
        assertNull(client.genericKubernetesResources(widgets).inNamespace(NS).withName("w1").get());
    }

    @Test
    void anUnknownKindIsOneClearErrorAndNothingIsWritten() {
        Map<String, Object> v1 = manifest(configMap("c", "k: v") + """
                apiVersion: nowhere.io/v9
                kind: Ghost
                metadata:
                  name: g
                """, null, "", false);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> reconciler.apply(request(v1)));
        assertTrue(e.getMessage().contains("Ghost"), e.getMessage());
        assertEquals(0, gate.writes());
    }

    @Test
    void thePlanReadsOnlyAndShowsEveryChange() throws Exception {
        Map<String, Object> v1 = manifest(APP, null, "", false);
        reconciler.apply(request(v1));
        drain(server);
        String v2yaml = configMap("app-config", "a: \"2\"") + configMap("new-config", "n: \"1\"");
        Map<String, Object> v2 = manifest(v2yaml, v1, "", false);

        Reconciler.Result plan = reconciler.plan(request(v2));

        List<String> requests = drain(server);
        assertTrue(requests.stream().allMatch(r -> r.startsWith("GET ")), requests.toString());
        assertEquals(1, plan.count(Reconciler.Action.CREATE));
        assertEquals(1, plan.count(Reconciler.Action.UPDATE));
        assertEquals(3, plan.count(Reconciler.Action.PRUNE));
        Reconciler.Step update = plan.steps().stream().filter(s -> s.action() == Reconciler.Action.UPDATE)
                .findFirst().orElseThrow();
        assertTrue(update.fields().contains("data.a: \"1\" → \"2\""), update.fields().toString());
        assertTrue(update.fields().stream().anyMatch(f -> f.startsWith("data.b: removed")), update.fields().toString());
        assertEquals("1", client.configMaps().inNamespace(NS).withName("app-config").get().getData().get("a"));
        assertNotNull(client.services().inNamespace(NS).withName("app").get());
    }

    @Test
    void aConflictOnPatchIsReadAgainAndRetried() throws Exception {
        Map<String, Object> v1 = manifest(configMap("c", "k: v1"), null, "", false);
        reconciler.apply(request(v1));
        server.expect().patch().withPath("/api/v1/namespaces/" + NS + "/configmaps/c").andReturn(409,
                "{\"kind\":\"Status\",\"code\":409,\"reason\":\"Conflict\"}").once();
        drain(server);

        Map<String, Object> v2 = manifest(configMap("c", "k: v2"), v1, "", false);
        assertEquals(1, reconciler.apply(request(v2)).count(Reconciler.Action.UPDATE));

        assertEquals("v2", client.configMaps().inNamespace(NS).withName("c").get().getData().get("k"));
        assertEquals(2, drain(server).stream().filter(r -> r.startsWith("PATCH ")).count(), "the 409, then the retry");
    }

    @Test
    void aCreateAnswered409IsNotRepeatedAndTheObjectIsReadInstead() throws Exception {
        Map<String, Object> v1 = manifest(configMap("c", "k: v1"), null, "", false);
        reconciler.apply(request(v1));
        // as if it had appeared between our LIST and our create: the LIST answers nothing once
        server.expect().get().withPath(ownedList("configmaps")).andReturn(200, "{\"kind\":\"ConfigMapList\",\"apiVersion\":"
                        + "\"v1\",\"items\":[]}").once();
        drain(server);

        Reconciler.Result again = reconciler.apply(request(v1));

        assertEquals(1, again.count(Reconciler.Action.UNCHANGED), again.toString());
        List<String> requests = drain(server);
        assertEquals(1, requests.stream().filter(r -> r.startsWith("POST ")).count(), requests.toString());
        assertEquals(1, client.configMaps().inNamespace(NS).list().getItems().size());
    }

    @Test
    void aServerErrorStopsTheApplyBeforeAnythingIsPruned() throws Exception {
        Map<String, Object> v1 = manifest(configMap("keep-me", "k: v"), null, "", false);
        reconciler.apply(request(v1));
        server.expect().post().withPath("/api/v1/namespaces/" + NS + "/configmaps").andReturn(500,
                "{\"kind\":\"Status\",\"code\":500,\"message\":\"etcd is down\"}").always();

        Map<String, Object> v2 = manifest(configMap("replacement", "k: v"), v1, "", false);
        KubernetesClientException e = assertThrows(KubernetesClientException.class,
                () -> reconciler.apply(request(v2)));

        assertEquals(500, e.getCode());
        assertNotNull(client.configMaps().inNamespace(NS).withName("keep-me").get(), "an error never deletes");
    }

    @Test
    void aSlowApiServerIsATimeoutAndNothingIsDeleted() throws Exception {
        Map<String, Object> v1 = manifest(configMap("keep-me", "k: v"), null, "", false);
        reconciler.apply(request(v1));
        server.expect().get().delay(3_000).withPath(ownedList("configmaps")).andReturn(200, "{}").once();
        KubernetesClient impatient = server.createClient(b -> b.editOrNewConfig().withRequestTimeout(500)
                .withRequestRetryBackoffLimit(0).endConfig());
        try {
            Reconciler slow = new Reconciler(impatient, gate, writers, null, true);
            Map<String, Object> v2 = manifest(configMap("other", "k: v"), v1, "", false);
            assertThrows(KubernetesClientException.class, () -> slow.apply(request(v2)));
            assertNotNull(client.configMaps().inNamespace(NS).withName("keep-me").get());
            assertFalse(client.configMaps().inNamespace(NS).withName("other").isReady());
        } finally {
            impatient.close();
        }
    }

    @Test
    void twoPlatformsInTwoNamespacesOwnTheirOwnClusterScopedObjects() throws Exception {
        String role = """
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRole
                metadata: {name: "reader-${jsorc.namespace}"}
                rules: []
                """;
        Map<String, Object> v1 = manifest(configMap("c", "k: v") + role, null, "", false);
        reconciler.apply(request(v1, "team-a"));
        reconciler.apply(request(v1, "team-b"));

        Map<String, Object> v2 = manifest(configMap("c", "k: v"), v1, "", false);
        Reconciler.Result result = reconciler.apply(request(v2, "team-a"));

        assertEquals(1, result.count(Reconciler.Action.PRUNE), result.toString());
        assertNull(client.rbac().clusterRoles().withName("reader-team-a").get());
        assertNotNull(client.rbac().clusterRoles().withName("reader-team-b").get(), "the other platform's");
    }

    @Test
    void aKindMovingToAnotherVersionIsOneObjectNotPrunedUnderItsOldVersion() throws Exception {
        String hpa = """
                apiVersion: autoscaling/%s
                kind: HorizontalPodAutoscaler
                metadata: {name: h}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: app}
                  minReplicas: 1
                  maxReplicas: %d
                """;
        Map<String, Object> v1 = manifest(hpa.formatted("v1", 2), null, "", false);
        reconciler.apply(request(v1));
        Map<String, Object> v2 = manifest(hpa.formatted("v2", 3), v1, "", false);

        Reconciler.Result result = reconciler.apply(request(v2));

        assertEquals(0, result.count(Reconciler.Action.PRUNE), "the same group and kind: " + result);
    }

    @Test
    void theParaphraseOfAVersionDeletesOnlyWhatEarlierVersionsNamedNotWhatALaterOneAdded() throws Exception {
        String claim = """
                apiVersion: v1
                kind: PersistentVolumeClaim
                metadata: {name: %s}
                spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
                ---
                """;
        Map<String, Object> v1 = manifest(configMap("c", "k: v") + claim.formatted("a"), null, "", false);
        reconciler.apply(request(v1));
        Map<String, Object> v2 = manifest(configMap("c", "k: v"), v1, "I know what I'm doing!", false);
        reconciler.apply(request(v2));
        assertNull(client.persistentVolumeClaims().inNamespace(NS).withName("a").get(), "named by v1: deleted");
        Map<String, Object> v3 = manifest(configMap("c", "k: v") + claim.formatted("b"), v2, "", false);
        reconciler.apply(request(v3));

        Reconciler.Result rollback = reconciler.apply(request(v2));      // config-rollback to v2's revision

        assertEquals(1, rollback.count(Reconciler.Action.KEPT_PROTECTED), rollback.toString());
        assertNotNull(client.persistentVolumeClaims().inNamespace(NS).withName("b").get());
    }

    @Test
    void aSecretsValuesAreNeverInItsLastAppliedRecord() throws Exception {
        Map<String, Object> v1 = manifest("""
                apiVersion: v1
                kind: Secret
                metadata: {name: s}
                stringData: {password: hunter2-very-secret}
                """, null, "", false);
        reconciler.apply(request(v1));
        String record = client.secrets().inNamespace(NS).withName("s").get().getMetadata().getAnnotations()
                .get(Reconciler.LAST_APPLIED);
        assertNotNull(record);
        assertFalse(record.contains("hunter2"), record);
        assertTrue(record.contains("\"password\":\"sha256:"), record);

        Map<String, Object> v2 = manifest("""
                apiVersion: v1
                kind: Secret
                metadata: {name: s}
                stringData: {token: t}
                """, v1, "", false);
        Reconciler.Step update = reconciler.apply(request(v2)).steps().get(0);
        assertTrue(update.fields().stream().noneMatch(f -> f.contains("hunter2") || f.contains(": \"t\"")),
                update.fields().toString());
    }

    @Test
    void aCrdAndItsResourcesInOneManifestTheResourcesAfterTheCrd() throws Exception {
        io.fabric8.kubernetes.api.model.APIResourceList none = new APIResourceListBuilder()
                .withGroupVersion("example.io/v1").build();
        server.expect().get().withPath("/apis/example.io/v1").andReturn(200, none).once();
        server.expect().get().withPath("/apis/example.io/v1").andReturn(200, new APIResourceListBuilder()
                .withGroupVersion("example.io/v1").addToResources(new APIResourceBuilder().withName("gadgets")
                        .withKind("Gadget").withNamespaced(true).withVerbs("get", "list", "create").build()).build())
                .always();
        String yaml = """
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata: {name: gadgets.example.io}
                spec:
                  group: example.io
                  scope: Namespaced
                  names: {kind: Gadget, plural: gadgets, singular: gadget}
                  versions: [{name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object}}}]
                ---
                apiVersion: example.io/v1
                kind: Gadget
                metadata: {name: g1}
                spec: {size: 1}
                """;
        Map<String, Object> v1 = manifest(yaml, null, "", false);

        Reconciler.Result result = reconciler.apply(request(v1));

        assertEquals(2, result.count(Reconciler.Action.CREATE), result.toString());
        ResourceDefinitionContext gadgets = new ResourceDefinitionContext.Builder().withGroup("example.io")
                .withVersion("v1").withKind("Gadget").withPlural("gadgets").withNamespaced(true).build();
        assertNotNull(client.genericKubernetesResources(gadgets).inNamespace(NS).withName("g1").get());
    }

    @Test
    void theSameObjectTwiceIsRefusedBeforeAnyWrite() {
        Map<String, Object> v1 = manifest(configMap("x", "k: a") + configMap("x", "k: b")
                .replace("name: x", "name: x\n  namespace: " + NS), null, "", false);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> reconciler.apply(request(v1)));
        assertTrue(e.getMessage().contains("appears twice"), e.getMessage());
        assertEquals(0, gate.writes());
    }

    @Test
    void theParaphraseDeletesAProtectedObjectNamedWithThePlaceholder() throws Exception {
        String volume = """
                apiVersion: v1
                kind: PersistentVolume
                metadata: {name: "data-${jsorc.namespace}"}
                spec: {capacity: {storage: 1Gi}, accessModes: [ReadWriteOnce], hostPath: {path: /tmp/x}}
                ---
                """;
        Map<String, Object> v1 = manifest(configMap("c", "k: v") + volume, null, "", false);
        reconciler.apply(request(v1));
        Map<String, Object> v2 = manifest(configMap("c", "k: v"), v1, "I know what I'm doing!", false);
        Reconciler.Result result = reconciler.apply(request(v2));
        assertEquals(1, result.count(Reconciler.Action.PRUNE), result.toString());
        assertNull(client.persistentVolumes().withName("data-" + NS).get());
    }

    @Test
    void aResourceBeforeItsCrdOrInAVersionTheCrdDoesNotServeIsRefusedAtOnce() {
        String crd = """
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata: {name: gizmos.example.io}
                spec:
                  group: example.io
                  scope: Namespaced
                  names: {kind: Gizmo, plural: gizmos}
                  versions: [{name: v1, served: true, storage: true}]
                ---
                """;
        String gizmo = "apiVersion: example.io/%s\nkind: Gizmo\nmetadata: {name: g}\n---\n";
        Map<String, Object> before = manifest(gizmo.formatted("v1") + crd, null, "", false);
        IllegalArgumentException first = assertThrows(IllegalArgumentException.class,
                () -> reconciler.apply(request(before)));
        assertTrue(first.getMessage().contains("put the CRD first"), first.getMessage());
        Map<String, Object> version = manifest(crd + gizmo.formatted("v2"), null, "", false);
        IllegalArgumentException second = assertThrows(IllegalArgumentException.class,
                () -> reconciler.apply(request(version)));
        assertTrue(second.getMessage().contains("serves versions [v1]"), second.getMessage());
        assertEquals(0, gate.writes());
    }

    @Test
    void thePlanNeverShowsTheValueOfASecretKey() throws Exception {
        Map<String, Object> v1 = manifest(configMap("c", "DB_PASSWORD: old-pass\nmode: a"), null, "", false);
        reconciler.apply(request(v1));
        Map<String, Object> v2 = manifest(configMap("c", "DB_PASSWORD: new-pass\nmode: b"), v1, "", false);
        Reconciler.Step update = reconciler.plan(request(v2)).steps().get(0);
        assertTrue(update.fields().contains("data.mode: \"a\" → \"b\""), update.fields().toString());
        assertTrue(update.fields().stream().noneMatch(f -> f.contains("old-pass") || f.contains("new-pass")),
                update.fields().toString());
    }

    @Test
    void aKindOfAnEarlierVersionWeMayNotListIsSkippedNotABlocker() throws Exception {
        Map<String, Object> v1 = manifest(configMap("c", "k: v") + """
                apiVersion: v1
                kind: Service
                metadata: {name: s}
                spec: {ports: [{port: 80}]}
                """, null, "", false);
        reconciler.apply(request(v1));
        server.expect().get().withPath(ownedList("services")).andReturn(403, "{\"kind\":\"Status\","
                        + "\"code\":403}").always();
        Map<String, Object> v2 = manifest(configMap("c", "k: w"), v1, "", false);

        Reconciler.Result result = reconciler.apply(request(v2));

        assertEquals(1, result.count(Reconciler.Action.UPDATE), result.toString());
        assertNotNull(client.services().inNamespace(NS).withName("s").get(), "not listed, not pruned");
    }
}
