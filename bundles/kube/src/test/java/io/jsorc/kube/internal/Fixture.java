package io.jsorc.kube.internal;

import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** Manifests and request counting for tests against the fabric8 mock API server (CRUD mode). */
final class Fixture {

    static final String NS = "jsorc-test";
    static final String GLOB = "DEMO_MANIFEST";

    private Fixture() {
    }

    /** A stored manifest built from {@code yaml} on top of {@code previous}, as apply_yaml would store it. */
    static Map<String, Object> manifest(String yaml, Map<String, Object> previous, String paraphrase, boolean adopt) {
        return ManifestYaml.build(ManifestYaml.parse(yaml), previous, paraphrase, adopt, Instant.now());
    }

    static Reconciler.Request request(Map<String, Object> manifest) {
        return request(manifest, NS);
    }

    static Reconciler.Request request(Map<String, Object> manifest, String namespace) {
        return new Reconciler.Request(GLOB, ManifestYaml.documents(manifest), Json.map(manifest,
                ManifestYaml.OLD_CONFIG), Json.map(manifest, ManifestYaml.OLD_API_VERSIONS), namespace,
                "I know what I'm doing!".equals(manifest.get(ManifestYaml.PARAPHRASE)),
                Boolean.TRUE.equals(manifest.get(ManifestYaml.ADOPT)), Set.copyOf(Reconciler.DEFAULT_PROTECTED));
    }

    /** Takes every request the server recorded so far ({@code METHOD path}). */
    static List<String> drain(KubernetesMockServer server) throws InterruptedException {
        List<String> requests = new ArrayList<>();
        RecordedRequest request;
        while ((request = server.takeRequest(10, TimeUnit.MILLISECONDS)) != null) {
            requests.add(request.getMethod() + " " + request.getPath());
        }
        return requests;
    }

    static String configMap(String name, String data) {
        return """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: %s
                data:
                %s
                ---
                """.formatted(name, data.indent(2).stripTrailing());
    }
}
