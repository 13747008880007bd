#!/usr/bin/env bash
# Kubernetes apply: a 500-object manifest applied by the Reconciler vs a Jaseci-style loop (GET per object, then
# create or patch, one at a time) on the same fabric8 mock API server, in one invocation (rounds alternating); a no-op
# apply (requests and writes counted) and the plan of a new version.
#   bash bench/kube_bench.sh        (after `mvn -o -B install -DskipTests`)
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -o -q -B -pl bundles/kube test-compile dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile=target/kube-bench.classpath >/dev/null
java -cp "bundles/kube/target/test-classes:bundles/kube/target/classes:$(cat bundles/kube/target/kube-bench.classpath)" \
    -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Djava.util.logging.config.file=/dev/null \
    io.jsorc.kube.internal.KubeBench
