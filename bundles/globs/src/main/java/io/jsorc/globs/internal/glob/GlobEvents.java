package io.jsorc.globs.internal.glob;

import io.jsorc.api.config.AuditEntry;
import io.jsorc.api.event.GlobEvent;
import io.jsorc.api.event.GlobListener;
import io.jsorc.api.event.Topics;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers glob events to the {@link GlobListener} whiteboard and mirrors them to EventAdmin, on one thread
 * ({@code jsorc/glob-events}), so events are delivered in the order they were published (hence in order per
 * name). A listener that throws is logged and skipped.
 *
 * <p>Thread-safety: {@link #publish} may be called from any thread and never blocks on a listener; it must be
 * called outside any lock of the caller. {@link #close} stops the thread, waiting a bounded time.
 */
final class GlobEvents implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GlobEvents.class);
    private static final Logger AUDIT = LoggerFactory.getLogger(AuditEntry.LOGGER);

    private final ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>(), r -> {
                Thread t = new Thread(r, "jsorc/glob-events");
                t.setDaemon(true);
                return t;
            });
    private final Supplier<List<GlobListener>> listeners;
    private final Supplier<EventAdmin> eventAdmin;

    GlobEvents(Supplier<List<GlobListener>> listeners, Supplier<EventAdmin> eventAdmin) {
        this.listeners = listeners;
        this.eventAdmin = eventAdmin;
        // made now: made lazily by the first publisher (a service saving a glob), the thread would keep that
        // service's class loader (context and protection domains) reachable for as long as it lives
        executor.prestartCoreThread();
    }

    void publish(GlobEvent event) {
        try {
            executor.execute(() -> deliver(event));
        } catch (RejectedExecutionException e) {
            LOG.debug("Glob event for {} dropped: the store is stopping", event.name());
        }
    }

    /**
     * Writes {@code entry} to the audit trail now (one JSON line to logger {@value AuditEntry#LOGGER}), and posts it
     * to EventAdmin after the glob events published before it.
     */
    void audit(AuditEntry entry) {
        AUDIT.info(entry.toJson());
        try {
            executor.execute(() -> post(new Event(entry.topic(), entry.eventProperties()), entry.target()));
        } catch (RejectedExecutionException e) {
            LOG.debug("Audit event for {} not posted: the store is stopping", entry.target());
        }
    }

    /**
     * Posts a refused outside edit ({@link Topics#EDIT_REFUSED}: {@code name}, {@code message}, the origin of the
     * edit and {@code time}) after the events published before it; the JsOrc Web Console page shows them.
     */
    /** Runs {@code task} on the event thread, after everything published before it (a store that stops drops it). */
    void run(Runnable task) {
        try {
            executor.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.warn("A glob store task failed", e);
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("A glob store task was dropped: the store is stopping");
        }
    }

    void refused(String name, io.jsorc.api.config.Origin origin, String message) {
        try {
            executor.execute(() -> post(Refusals.event(name, origin, message), name));
        } catch (RejectedExecutionException e) {
            LOG.debug("Refusal event for {} not posted: the store is stopping", name);
        }
    }

    private void post(Event event, String name) {
        EventAdmin admin = eventAdmin.get();
        if (admin != null) {
            try {
                admin.postEvent(event);
            } catch (RuntimeException e) {
                LOG.warn("EventAdmin refused the {} event of {}", event.getTopic(), name, e);
            }
        }
    }

    private void deliver(GlobEvent event) {
        for (GlobListener listener : listeners.get()) {
            try {
                listener.globChanged(event);
            } catch (RuntimeException | LinkageError e) {
                LOG.error("GlobListener {} failed on {} of {}; ignored", listener.getClass().getName(),
                        event.deleted() ? "delete" : "update", event.name(), e);
            }
        }
        post(toEvent(event), event.name());
    }

    static Event toEvent(GlobEvent event) {
        Map<String, Object> props = new HashMap<>();
        props.put("name", event.name());
        props.put("oldRevision", event.oldRevision());
        props.put("newRevision", event.newRevision());
        props.put("origin", event.origin().toString());
        props.put("origin.actor", event.origin().actor());
        props.put("origin.source", event.origin().source());
        props.put("origin.node", event.origin().node());
        props.put("time", event.time().toEpochMilli());
        return new Event(event.deleted() ? Topics.GLOB_DELETED : Topics.GLOB_UPDATED, props);
    }

    boolean isShutdown() {
        return executor.isShutdown();
    }

    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
