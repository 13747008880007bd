package io.jsorc.kube.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/** The default manifests shipped in the bundle (default:redis, default:promon) parse and apply as they are. */
@EnableKubernetesMockClient(crud = true)
class DefaultManifestsTest {

    KubernetesMockServer server;
    KubernetesClient client;

    private static String resource(String name) throws Exception {
        try (InputStream in = DefaultManifestsTest.class.getResourceAsStream("/manifests/" + name + ".yaml")) {
            assertNotNull(in, name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void redisIsTheOriginalsThreeObjects() throws Exception {
        Map<String, Object> manifest = Fixture.manifest(resource("redis"), null, "", false);
        assertEquals(List.of("Service", "Deployment", "ConfigMap"), List.copyOf(manifest.keySet()));
        for (Map<String, Object> doc : ManifestYaml.documents(manifest)) {
            assertNull(Json.at(doc, "metadata", "namespace"), "no namespace in a default manifest");
        }
    }

    @Test
    void promonAppliesInTwoNamespacesWithoutCollidingClusterScopedNames() throws Exception {
        Map<String, Object> manifest = Fixture.manifest(resource("promon"), null, "", false);
        ExecutorService writers = Executors.newFixedThreadPool(4);
        try {
            Reconciler reconciler = new Reconciler(client, new Gate(() -> true), writers, null, true);
            Reconciler.Result a = reconciler.apply(Fixture.request(manifest, "team-a"));
            Reconciler.Result b = reconciler.apply(Fixture.request(manifest, "team-b"));
            int documents = ManifestYaml.documents(manifest).size();
            assertEquals(documents, a.count(Reconciler.Action.CREATE), a.summary());
            assertEquals(documents, b.count(Reconciler.Action.CREATE), "nothing of team-a's taken: " + b.summary());
        } finally {
            writers.shutdownNow();
        }
        assertNotNull(client.rbac().clusterRoles().withName("jaseci-prometheus-server-team-a").get());
        assertNotNull(client.rbac().clusterRoles().withName("jaseci-prometheus-server-team-b").get());
        var binding = client.rbac().clusterRoleBindings().withName("jaseci-prometheus-server-team-b").get();
        assertEquals("jaseci-prometheus-server-team-b", binding.getRoleRef().getName());
        assertEquals("team-b", binding.getSubjects().get(0).getNamespace());
        assertTrue(client.persistentVolumeClaims().inNamespace("team-a").list().getItems().size() >= 2);
    }
}
