package io.jsorc.itests;

import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceBuilder;
import io.fabric8.kubernetes.api.model.APIResourceListBuilder;
import io.fabric8.kubernetes.client.VersionInfo;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;

/**
 * The fabric8 mock API server (CRUD mode), started in the test driver's JVM (never inside Karaf) on 127.0.0.1, with
 * what the mock does not answer by itself stubbed: {@code /version} and discovery of the kinds the test applies.
 * Only the {@code @Configuration} method (run in the driver) calls it.
 */
final class MockApiServer {

    private static KubernetesMockServer server;

    private MockApiServer() {
    }

    /** Starts the server once; returns a kubeconfig file pointing at it. */
    static synchronized Path start(Path dir) throws IOException {
        if (server == null) {
            Map<io.fabric8.mockwebserver.ServerRequest, Queue<io.fabric8.mockwebserver.ServerResponse>> responses =
                    new HashMap<>();
            server = new KubernetesMockServer(new Context(), new MockWebServer(), responses,
                    new KubernetesMixedDispatcher(responses), false);
            server.init(InetAddress.getByName("127.0.0.1"), 0);
            server.setVersionInfo(new VersionInfo.Builder().withGitVersion("v1.30.0").withMajor("1")
                    .withMinor("30").build());
            server.expect().get().withPath("/api/v1").andReturn(200, new APIResourceListBuilder()
                    .withGroupVersion("v1").addToResources(resource("configmaps", "ConfigMap"),
                            resource("services", "Service"), resource("pods", "Pod"),
                            resource("persistentvolumeclaims", "PersistentVolumeClaim")).build()).always();
            server.expect().get().withPath("/apis/apps/v1").andReturn(200, new APIResourceListBuilder()
                    .withGroupVersion("apps/v1").addToResources(resource("deployments", "Deployment")).build())
                    .always();
        }
        Files.createDirectories(dir);
        Path kubeconfig = dir.resolve("kubeconfig");
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters:
                  - name: mock
                    cluster: {server: "http://127.0.0.1:%d"}
                contexts:
                  - name: mock
                    context: {cluster: mock, user: it}
                current-context: mock
                users:
                  - name: it
                    user: {token: it-token}
                """.formatted(server.getPort()));
        return kubeconfig;
    }

    private static APIResource resource(String plural, String kind) {
        return new APIResourceBuilder().withName(plural).withKind(kind).withNamespaced(true)
                .withVerbs("get", "list", "create", "patch", "delete").build();
    }
}
