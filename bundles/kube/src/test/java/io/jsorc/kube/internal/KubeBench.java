package io.jsorc.kube.internal;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * docs/BENCHMARKS.md "Kubernetes": a 500-object manifest (250 ConfigMaps, 125 Services, 125 Secrets) applied by the
 * Reconciler vs a Jaseci-style loop (GET each object, then create or patch it, one after the other) on the same
 * fabric8 mock API server, in one invocation, rounds alternating; then a no-op apply of the same version (requests
 * and writes counted) and the plan of a changed version. Run with bench/kube_bench.sh.
 */
public final class KubeBench {

    static final int ROUNDS = Integer.getInteger("rounds", 5);

    private KubeBench() {
    }

    public static void main(String[] args) throws Exception {
        Map<io.fabric8.mockwebserver.ServerRequest, java.util.Queue<io.fabric8.mockwebserver.ServerResponse>> responses =
                new HashMap<>();
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), responses,
                new KubernetesMixedDispatcher(responses), false);
        server.init(InetAddress.getByName("127.0.0.1"), 0);
        KubernetesClient client = server.createClient(new JdkHttpClientFactory());
        ExecutorService writers = Executors.newFixedThreadPool(Integer.getInteger("writers", 8));
        Gate gate = new Gate(() -> true);
        Reconciler reconciler = new Reconciler(client, gate, writers, null, true);
        try {
            warmUp(client, reconciler);
            long[] ours = new long[ROUNDS];
            long[] jaseci = new long[ROUNDS];
            long[] oursUpdate = new long[ROUNDS];
            long[] jaseciUpdate = new long[ROUNDS];
            for (int round = 0; round < ROUNDS; round++) {
                boolean oursFirst = round % 2 == 0;
                for (int turn = 0; turn < 2; turn++) {
                    if ((turn == 0) == oursFirst) {
                        long[] t = ours(reconciler, "ours-" + round);
                        ours[round] = t[0];
                        oursUpdate[round] = t[1];
                    } else {
                        long[] t = jaseci(client, "jaseci-" + round);
                        jaseci[round] = t[0];
                        jaseciUpdate[round] = t[1];
                    }
                }
            }
            double o = median(ours);
            double j = median(jaseci);
            double ou = median(oursUpdate);
            double ju = median(jaseciUpdate);
            System.out.printf("500-object first apply (create): ours %.0f ms, Jaseci-style %.0f ms, speed-up %.2fx "
                    + "(medians of %d rounds)%n", o, j, j / o, ROUNDS);
            System.out.printf("500-object new version (patch all): ours %.0f ms, Jaseci-style %.0f ms, speed-up %.2fx%n",
                    ou, ju, ju / ou);

            Map<String, Object> manifest = manifest(null);
            Reconciler.Request request = request("noop", manifest);
            reconciler.apply(request);
            int before = server.getRequestCount();
            long writes = gate.writes();
            long started = System.nanoTime();
            Reconciler.Result result = reconciler.apply(request);
            long took = System.nanoTime() - started;
            System.out.printf("no-op apply of the same version: %d requests (%d kinds), %d writes, %d unchanged, "
                    + "%.0f ms%n", server.getRequestCount() - before, 3, gate.writes() - writes,
                    result.count(Reconciler.Action.UNCHANGED), took / 1e6);

            Map<String, Object> next = manifest(manifest);
            before = server.getRequestCount();
            writes = gate.writes();
            started = System.nanoTime();
            Reconciler.Result plan = reconciler.plan(request("noop", next));
            took = System.nanoTime() - started;
            System.out.printf("plan of a new version: %d requests, %d writes, %d updates shown, %.0f ms%n",
                    server.getRequestCount() - before, gate.writes() - writes, plan.count(Reconciler.Action.UPDATE),
                    took / 1e6);
        } finally {
            writers.shutdownNow();
            client.close();
            server.destroy();
        }
    }

    private static void warmUp(KubernetesClient client, Reconciler reconciler) throws Exception {
        ours(reconciler, "warm-ours");
        jaseci(client, "warm-jaseci");
    }

    /** [create all, patch all] in ms. */
    private static long[] ours(Reconciler reconciler, String namespace) throws Exception {
        Map<String, Object> v1 = manifest(null);
        long start = System.nanoTime();
        Reconciler.Result created = reconciler.apply(request(namespace, v1));
        long create = System.nanoTime() - start;
        check(created.count(Reconciler.Action.CREATE) == 500, "created 500: " + created.summary());
        Map<String, Object> v2 = manifest(v1);
        start = System.nanoTime();
        Reconciler.Result updated = reconciler.apply(request(namespace, v2));
        long update = System.nanoTime() - start;
        check(updated.count(Reconciler.Action.UPDATE) == 500, "updated 500: " + updated.summary());
        return new long[] {create / 1_000_000, update / 1_000_000};
    }

    /** The original's check(): per document read, create on 404, patch when config_version differs. */
    private static long[] jaseci(KubernetesClient client, String namespace) {
        Map<String, Object> v1 = manifest(null);
        long start = System.nanoTime();
        jaseciApply(client, namespace, v1);
        long create = System.nanoTime() - start;
        Map<String, Object> v2 = manifest(v1);
        start = System.nanoTime();
        jaseciApply(client, namespace, v2);
        long update = System.nanoTime() - start;
        check(client.configMaps().inNamespace(namespace).list().getItems().size() == 250, "jaseci created");
        return new long[] {create / 1_000_000, update / 1_000_000};
    }

    private static void jaseciApply(KubernetesClient client, String namespace, Map<String, Object> manifest) {
        for (Map<String, Object> doc : ManifestYaml.documents(manifest)) {
            ResourceDefinitionContext context = context(String.valueOf(doc.get("kind")));
            String name = ManifestYaml.name(doc);
            GenericKubernetesResource live = client.genericKubernetesResources(context).inNamespace(namespace)
                    .withName(name).get();
            if (live == null) {
                client.genericKubernetesResources(context).inNamespace(namespace).resource(client
                        .getKubernetesSerialization().convertValue(doc, GenericKubernetesResource.class)).create();
            } else if (!String.valueOf(ManifestYaml.version(doc)).equals(live.getMetadata().getLabels()
                    .get(ManifestYaml.VERSION_LABEL))) {
                client.genericKubernetesResources(context).inNamespace(namespace).withName(name).patch(
                        PatchContext.of(PatchType.JSON_MERGE), client.getKubernetesSerialization().asJson(doc));
            }
        }
    }

    private static ResourceDefinitionContext context(String kind) {
        return switch (kind) {
            case "ConfigMap" -> ResourceDefinitionContext.fromResourceType(io.fabric8.kubernetes.api.model.ConfigMap.class);
            case "Service" -> ResourceDefinitionContext.fromResourceType(io.fabric8.kubernetes.api.model.Service.class);
            default -> ResourceDefinitionContext.fromResourceType(io.fabric8.kubernetes.api.model.Secret.class);
        };
    }

    static Map<String, Object> manifest(Map<String, Object> previous) {
        StringBuilder yaml = new StringBuilder();
        for (int i = 0; i < 250; i++) {
            yaml.append("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm-").append(i)
                    .append("}\ndata: {key: value-").append(i).append(", other: x}\n---\n");
        }
        for (int i = 0; i < 125; i++) {
            yaml.append("apiVersion: v1\nkind: Service\nmetadata: {name: svc-").append(i)
                    .append("}\nspec: {selector: {app: a").append(i).append("}, ports: [{port: 80}]}\n---\n");
            yaml.append("apiVersion: v1\nkind: Secret\nmetadata: {name: secret-").append(i)
                    .append("}\nstringData: {password: p").append(i).append("}\n---\n");
        }
        return ManifestYaml.build(ManifestYaml.parse(yaml.toString()), previous, "", false, Instant.now());
    }

    static Reconciler.Request request(String namespace, Map<String, Object> manifest) {
        return new Reconciler.Request("BENCH_MANIFEST", ManifestYaml.documents(manifest),
                Json.map(manifest, ManifestYaml.OLD_CONFIG), Json.map(manifest, ManifestYaml.OLD_API_VERSIONS),
                namespace, false, false, Set.copyOf(Reconciler.DEFAULT_PROTECTED));
    }

    private static double median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2.0;
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException("bench check failed: " + what);
        }
    }
}
