package io.jsorc.kube.internal;

import static io.jsorc.kube.internal.Fixture.NS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class ReadinessTest {

    KubernetesMockServer server;
    KubernetesClient client;

    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: r
              namespace: %s
            spec:
              replicas: 2
              selector:
                matchLabels: {app: r}
              template:
                metadata: {labels: {app: r}}
                spec:
                  containers: [{name: c, image: x}]
            """.formatted(NS);

    private List<Map<String, Object>> docs(String yaml) {
        return ManifestYaml.parse(yaml);
    }

    private void pod(String name, Map<String, String> labels, boolean running, boolean ready, boolean terminating) {
        PodBuilder pod = new PodBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata()
                .withNewStatus().withPhase(running ? "Running" : "Pending").addNewCondition().withType("Ready")
                .withStatus(ready ? "True" : "False").endCondition().endStatus();
        if (terminating) {
            pod.editMetadata().withFinalizers("example.io/hold").endMetadata();
        }
        client.pods().inNamespace(NS).resource(pod.build()).createOr(p -> p.update());
        if (terminating) {       // a finalizer holds it: the API server marks it terminating (deletionTimestamp)
            client.pods().inNamespace(NS).withName(name).delete();
        }
    }

    @Test
    void withoutStatusEnoughMatchingPodsMustBeRunningAndReadyTerminatingOnesIgnored() {
        client.apps().deployments().inNamespace(NS).resource(client.getKubernetesSerialization()
                .unmarshal(DEPLOYMENT, Deployment.class)).create();
        Readiness readiness = new Readiness(client);
        pod("r1", Map.of("app", "r"), true, true, false);
        pod("r2", Map.of("app", "r"), true, false, false);
        pod("other", Map.of("app", "other"), true, true, false);

        Readiness.Verdict one = readiness.check(docs(DEPLOYMENT), NS);
        assertFalse(one.ready());
        assertEquals(List.of("Deployment r: 1/2 pods Running and Ready"), one.waiting());

        pod("r3", Map.of("app", "r"), true, true, true);
        assertFalse(readiness.check(docs(DEPLOYMENT), NS).ready(), "a terminating pod does not count");

        pod("r2", Map.of("app", "r"), true, true, false);
        assertTrue(readiness.check(docs(DEPLOYMENT), NS).ready());
    }

    @Test
    void withStatusTheGenerationMustBeObservedAndEveryReplicaReadyAndUpdated() {
        Deployment deployment = client.getKubernetesSerialization().unmarshal(DEPLOYMENT, Deployment.class);
        // the mock gives a created object generation 1 and keeps the status it was given
        deployment.setStatus(new DeploymentStatusBuilder().withObservedGeneration(0L).withReadyReplicas(2)
                .withUpdatedReplicas(2).build());
        client.apps().deployments().inNamespace(NS).resource(deployment).create();
        Readiness readiness = new Readiness(client);
        pod("r1", Map.of("app", "r"), true, true, false);
        pod("r2", Map.of("app", "r"), true, true, false);

        assertEquals(List.of("Deployment r: generation 1 not observed yet"),
                readiness.check(docs(DEPLOYMENT), NS).waiting(), "a real cluster's status wins over pods");

        deployment.setStatus(new DeploymentStatusBuilder().withObservedGeneration(1L).withReadyReplicas(2)
                .withUpdatedReplicas(1).build());
        client.apps().deployments().inNamespace(NS).resource(deployment).updateStatus();
        assertEquals(List.of("Deployment r: 2/2 ready, 1 updated"), readiness.check(docs(DEPLOYMENT), NS).waiting());

        deployment.setStatus(new DeploymentStatusBuilder().withObservedGeneration(1L).withReadyReplicas(2)
                .withUpdatedReplicas(2).build());
        client.apps().deployments().inNamespace(NS).resource(deployment).updateStatus();
        assertTrue(readiness.check(docs(DEPLOYMENT), NS).ready());
    }

    @Test
    void withoutAWorkloadEveryPodOfTheLastServiceMustBeReadyNeverOnlyTheFirst() {
        String services = """
                apiVersion: v1
                kind: Service
                metadata: {name: first}
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: last}
                """;
        Readiness readiness = new Readiness(client);
        assertEquals(List.of("pods pod=last: 0/1 pods Running and Ready"), readiness.check(docs(services), NS)
                .waiting(), "at least one pod");
        pod("a", Map.of("pod", "last"), true, true, false);
        pod("b", Map.of("pod", "last"), false, false, false);
        assertFalse(readiness.check(docs(services), NS).ready(), "all of them, not items[0]");
        pod("b", Map.of("pod", "last"), true, true, false);
        assertTrue(readiness.check(docs(services), NS).ready());
    }

    @Test
    void aPodIsReadyOnlyRunningWithReadyTrue() {
        Pod pending = new PodBuilder().withNewStatus().withPhase("Pending").endStatus().build();
        assertFalse(Readiness.isRunningAndReady(pending));
        Pod noConditions = new PodBuilder().withNewStatus().withPhase("Running").endStatus().build();
        assertFalse(Readiness.isRunningAndReady(noConditions));
    }
}
