package io.jsorc.kube.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.VersionInfo;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.jsorc.api.ServiceState;
import io.jsorc.testkit.TestKit;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true, https = false)
class KubeServiceTest {

    static final String TOKEN = "s3cret-t0ken";

    KubernetesMockServer server;
    KubernetesClient client;
    private TestKit kit;

    /** A kubeconfig text for {@code url}, with a bearer token. */
    static String kubeconfig(String url) {
        return """
                apiVersion: v1
                kind: Config
                clusters:
                  - name: mock
                    cluster: {server: "%s"}
                contexts:
                  - name: mock
                    context: {cluster: mock, user: u, namespace: jsorc-test}
                current-context: mock
                users:
                  - name: u
                    user: {token: %s}
                """.formatted(url, TOKEN);
    }

    /** Unless told, the mock answers GET /version without a gitVersion: it is given a real answer. */
    static void stubVersion(KubernetesMockServer server) {
        server.setVersionInfo(new VersionInfo.Builder().withGitVersion("v1.30.0").withMajor("1").withMinor("30")
                .build());
    }

    private ServiceState start(String kubernetesJson) {
        kit = TestKit.create();
        kit.globs().set("META_CONFIG", "{\"kubernetes\":" + kubernetesJson + ",\"namespace\":\"jsorc-test\"}", null,
                TestKit.TEST);
        kit.register(KubeService.NAME, KubeService::new);
        return state();
    }

    /** The state once the start that registering queued has ended (RUNNING or FAILED). */
    private ServiceState state() {
        return org.awaitility.Awaitility.await("kube started or failed").atMost(java.time.Duration.ofSeconds(20))
                .until(() -> kit.meta().info(KubeService.NAME).map(i -> i.state()).orElse(null),
                        s -> s == ServiceState.RUNNING || s == ServiceState.FAILED);
    }

    private String lastError() {
        return kit.meta().info(KubeService.NAME).orElseThrow().lastError();
    }

    private static String json(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }

    @AfterEach
    void tearDown() {
        if (kit != null) {
            kit.close();
        }
    }

    @Test
    void aKubeconfigTextGivesARunningClientPingedAtStart() throws Exception {
        stubVersion(server);
        assertEquals(ServiceState.RUNNING, start("{\"in_cluster\":false,\"config\":" + json(kubeconfig(server.url("/")))
                + "}"));
        KubernetesClient app = kit.hook().app(KubeService.NAME, KubernetesClient.class).orElseThrow();
        assertEquals("v1.30.0", app.getKubernetesVersion().getGitVersion());
        assertTrue(Fixture.drain(server).contains("GET /version"));
        assertTrue(((KubeService) kit.hook().service(KubeService.NAME)).where().contains(":" + server.getPort()));
    }

    @Test
    void anUnreachableApiServerIsOneLineWithoutTheCredentials() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        assertEquals(ServiceState.FAILED, start("{\"config\":" + json(kubeconfig("http://127.0.0.1:" + closed)) + "}"));
        assertTrue(lastError().contains("Kubernetes at http://127.0.0.1:" + closed + "/ is unreachable"), lastError());
        assertFalse(lastError().contains(TOKEN));
        assertFalse(lastError().contains("\n"));
    }

    @Test
    void anUnstubbedVersionAnswerIsNotTakenForAnApiServer() {
        // the mock's own /version answer has no gitVersion, like the empty list it gives any unknown GET
        assertEquals(ServiceState.FAILED, start("{\"config\":" + json(kubeconfig(server.url("/"))) + "}"));
        assertTrue(lastError().contains("without a version"), lastError());
    }

    @Test
    void badKubeConfigsAreOneClearLine() {
        assertEquals(ServiceState.FAILED, start("{\"in_cluster\":true,\"config\":null}"));
        assertTrue(lastError().contains("not a pod (KUBERNETES_SERVICE_HOST is not set)"), lastError());
        kit.close();

        assertEquals(ServiceState.FAILED, start("{\"config\":\"/nowhere/kubeconfig\"}"));
        assertTrue(lastError().contains("the kubeconfig file named in META_CONFIG.kubernetes.config cannot be read"), lastError());
        kit.close();

        String garbage = "apiVersion: v1\nclusters: " + TOKEN + " [";
        assertEquals(ServiceState.FAILED, start("{\"config\":" + json(garbage) + "}"));
        assertTrue(lastError().contains("is not a usable kubeconfig"), lastError());
        assertNoSecret();
        kit.close();

        // a kubeconfig pasted on one line (base64 from a CI variable) is no path to show
        assertEquals(ServiceState.FAILED, start("{\"config\":\"" + TOKEN + "Zm9vYmFy\"}"));
        assertTrue(lastError().contains("cannot be read"), lastError());
        assertNoSecret();
    }

    /** Neither the error nor its detail (shown by service-info) holds the kubeconfig's token. */
    private void assertNoSecret() {
        var info = kit.meta().info(KubeService.NAME).orElseThrow();
        assertFalse(info.lastError().contains(TOKEN), info.lastError());
        assertFalse(String.valueOf(info.lastErrorDetail()).contains(TOKEN), info.lastErrorDetail());
    }

    @Test
    void inClusterReadsTheServiceAccount(@org.junit.jupiter.api.io.TempDir Path account) throws Exception {
        java.nio.file.Files.writeString(account.resolve("token"), TOKEN + "\n");
        java.nio.file.Files.writeString(account.resolve("namespace"), "team-a");
        var config = KubeService.config(Map.of("in_cluster", true), Map.of("KUBERNETES_SERVICE_HOST", "10.0.0.1",
                "KUBERNETES_SERVICE_PORT", "6443"), account);
        assertEquals("https://10.0.0.1:6443/", config.getMasterUrl());
        assertEquals("team-a", config.getNamespace());
        assertEquals(1, config.getRequestRetryBackoffLimit());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KubeService.config(
                Map.of(), Map.of("KUBERNETES_SERVICE_HOST", "10.0.0.1"), account.resolve("absent")));
        assertTrue(e.getMessage().contains("token"), e.getMessage());
    }

    /** Threads of JDK HTTP clients (selector and workers). */
    static long httpClientThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.isAlive()
                && t.getName().startsWith("HttpClient-")).count();
    }

    @Test
    void aResetClosesTheClientAndItsThreads() throws Exception {
        stubVersion(server);
        long before = httpClientThreads();
        start("{\"config\":" + json(kubeconfig(server.url("/"))) + "}");
        KubernetesClient first = kit.hook().app(KubeService.NAME, KubernetesClient.class).orElseThrow();
        assertNotNull(first);
        kit.meta().refresh(KubeService.NAME);
        assertEquals(ServiceState.RUNNING, state());
        KubernetesClient second = kit.hook().app(KubeService.NAME, KubernetesClient.class).orElseThrow();
        assertTrue(first != second, "a new client after the reset");
        assertThrows(RuntimeException.class, () -> first.configMaps().inNamespace("x").list(),
                "the old client is closed");
        kit.close();
        kit = null;
        org.awaitility.Awaitility.await("the HTTP client threads of kube's clients ended")
                .atMost(java.time.Duration.ofSeconds(20)).until(() -> {
                    System.gc();        // a JDK 17 HttpClient's selector ends once its client is unreachable
                    return httpClientThreads() <= before;
                });
    }
}
