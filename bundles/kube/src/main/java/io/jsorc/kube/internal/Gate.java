package io.jsorc.kube.internal;

import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * The one way to the API server for writes (create, patch, delete): the leader check of several nodes will guard
 * it (a node that is not the leader writes nothing). Reads do not pass here; the plan never does.
 */
final class Gate {

    private final BooleanSupplier mayWrite;
    private final AtomicLong writes = new AtomicLong();

    /** @param mayWrite whether this node may write now (one node today: always) */
    Gate(BooleanSupplier mayWrite) {
        this.mayWrite = mayWrite;
    }

    <T> T write(String what, Callable<T> write) throws Exception {
        if (!mayWrite.getAsBoolean()) {
            throw new IllegalStateException("Not written (" + what + "): this node may not write to Kubernetes now");
        }
        writes.incrementAndGet();
        return write.call();
    }

    /** Writes passed through since this gate was made. */
    long writes() {
        return writes.get();
    }
}
