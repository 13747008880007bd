#!/usr/bin/env bash
# The shared glob store's propagation (A -> B, p50/p99, beside a Pub/Sub-only variant) and write throughput (ratio to
# raw Jedis HSET), in one invocation, on a real redis-server started on a free loopback port.
#   bash bench/shared_bench.sh        (after `mvn -o -B install -DskipTests`; needs /usr/bin/redis-server)
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -o -q -B -pl bundles/redis test-compile dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile=target/shared-bench.classpath >/dev/null
java -cp "bundles/redis/target/test-classes:bundles/redis/target/classes:$(cat bundles/redis/target/shared-bench.classpath)" \
    -Dorg.slf4j.simpleLogger.defaultLogLevel=warn io.jsorc.redis.SharedGlobsBench
