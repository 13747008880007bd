package io.jsorc.kube.internal;

import io.fabric8.kubernetes.client.VersionInfo;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;

/**
 * The fabric8 mock API server (CRUD mode) on 127.0.0.1 as a process, for bench/bench.py --with-kube: writes a
 * kubeconfig pointing at it to {@code args[0]} and serves until its stdin closes.
 */
public final class MockApiMain {

    private MockApiMain() {
    }

    public static void main(String[] args) throws Exception {
        var responses = new HashMap<io.fabric8.mockwebserver.ServerRequest,
                java.util.Queue<io.fabric8.mockwebserver.ServerResponse>>();
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), responses,
                new KubernetesMixedDispatcher(responses), false);
        server.init(InetAddress.getByName("127.0.0.1"), 0);
        server.setVersionInfo(new VersionInfo.Builder().withGitVersion("v1.30.0").withMajor("1").withMinor("30")
                .build());
        Files.writeString(Path.of(args[0]), """
                apiVersion: v1
                kind: Config
                clusters: [{name: mock, cluster: {server: "http://127.0.0.1:%d"}}]
                contexts: [{name: mock, context: {cluster: mock, user: bench}}]
                current-context: mock
                users: [{name: bench, user: {token: bench}}]
                """.formatted(server.getPort()));
        System.out.println("ready " + server.getPort());
        System.in.read();
        server.destroy();
    }
}
