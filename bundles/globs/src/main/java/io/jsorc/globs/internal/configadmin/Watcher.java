package io.jsorc.globs.internal.configadmin;

import io.jsorc.api.spi.GlobTier.TierChange;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one worker thread ({@code jsorc/glob-configadmin}) that reads configurations named in configuration events
 * and hands the changes to the tier's subscribers, in event order.
 *
 * <p>Thread-safety: {@link #enqueue} from any thread; {@link #close} stops the worker with a bounded wait.
 */
final class Watcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Watcher.class);

    private final ConfigAdminTier tier;
    private final ThreadPoolExecutor worker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>(), r -> {
                Thread t = new Thread(r, "jsorc/glob-configadmin");
                t.setDaemon(true);
                return t;
            });

    Watcher(ConfigAdminTier tier) {
        this.tier = tier;
        // made now, by the activating thread: a thread made lazily by whoever changes a configuration first would
        // keep that caller's class loader (context and protection domains) reachable for as long as it lives
        worker.prestartCoreThread();
    }

    private final java.util.concurrent.atomic.AtomicLong submitted = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong finished = new java.util.concurrent.atomic.AtomicLong();

    void enqueue(String name) {
        try {
            submitted.incrementAndGet();
            worker.execute(() -> {
                try {
                    process(name);
                } finally {
                    finished.incrementAndGet();
                }
            });
        } catch (RejectedExecutionException e) {
            finished.incrementAndGet();
            LOG.debug("Configuration event of glob {} ignored: the tier is stopping", name);
        }
    }

    private void process(String name) {
        try {
            TierChange change = tier.detectChange(name);
            if (change != null) {
                tier.deliver(change);
            }
        } catch (Exception e) {
            LOG.error("Reading the changed configuration of glob {} failed", name, e);
        }
    }

    /** Whether every configuration event enqueued so far was handled (for tests). */
    boolean idle() {
        return finished.get() == submitted.get();
    }

    boolean isStopped() {
        return worker.isShutdown();
    }

    @Override
    public void close() {
        worker.shutdown();
        try {
            if (!worker.awaitTermination(5, TimeUnit.SECONDS)) {
                worker.shutdownNow();
            }
        } catch (InterruptedException e) {
            worker.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
