package io.jsorc.meta.internal;

import io.jsorc.api.config.AuditEntry;
import io.jsorc.api.ServiceState;
import io.jsorc.api.event.ServiceStateEvent;
import io.jsorc.api.event.ServiceStateListener;
import io.jsorc.api.event.Topics;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers service state changes to every {@link ServiceStateListener} and mirrors them to EventAdmin
 * ({@code jsorc/service/<STATE>}): asynchronously, in order per service name, never under a lock.
 */
final class StateEvents {

    private static final Logger LOG = LoggerFactory.getLogger(StateEvents.class);
    private static final Logger AUDIT = LoggerFactory.getLogger(AuditEntry.LOGGER);

    private final KeyedSerialExecutor lanes;
    private final List<ServiceStateListener> listeners = new CopyOnWriteArrayList<>();
    private volatile EventAdmin eventAdmin;

    StateEvents(Executor executor) {
        this.lanes = new KeyedSerialExecutor(executor);
    }

    void addListener(ServiceStateListener listener) {
        listeners.add(listener);
    }

    void removeListener(ServiceStateListener listener) {
        listeners.removeIf(bound -> bound == listener); // by identity: a listener's equals is not ours to trust
    }

    void setEventAdmin(EventAdmin admin) {
        eventAdmin = admin;
    }

    void unsetEventAdmin(EventAdmin admin) {
        if (eventAdmin == admin) {
            eventAdmin = null;
        }
    }

    /**
     * Writes {@code entry} to the audit trail now (one JSON line to logger {@value AuditEntry#LOGGER}), then posts
     * it to EventAdmin on the target's lane, after the state events of that service published before it.
     */
    void audit(AuditEntry entry) {
        AUDIT.info(entry.toJson());
        try {
            lanes.execute(entry.target(), () -> {
                EventAdmin admin = eventAdmin;
                if (admin != null) {
                    try {
                        admin.postEvent(new Event(entry.topic(), entry.eventProperties()));
                    } catch (RuntimeException e) {
                        LOG.warn("EventAdmin refused {}", entry.topic(), e);
                    }
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.debug("MetaService stopped; audit event of {} not posted", entry.target());
        }
    }

    /** @param error the failure as {@code CommonService.getLastError()} shows it, when {@code to} is FAILED */
    void stateChanged(String name, ServiceState from, ServiceState to, String error, String bundle,
            boolean background) {
        ServiceStateEvent event = new ServiceStateEvent(name, from, to, error, bundle, background, Instant.now());
        try {
            lanes.execute(name, () -> deliver(event));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.debug("MetaService stopped; {} not delivered", event);
        }
    }

    private void deliver(ServiceStateEvent event) {
        for (ServiceStateListener listener : listeners) {
            try {
                listener.stateChanged(event);
            } catch (RuntimeException e) {
                LOG.warn("ServiceStateListener {} failed on {}", listener, event, e);
            }
        }
        EventAdmin admin = eventAdmin;
        if (admin != null) {
            Map<String, Object> properties = new HashMap<>();
            properties.put("name", event.name());
            properties.put("from", event.from().name());
            properties.put("to", event.to().name());
            if (event.error() != null) {
                properties.put("error", event.error());
            }
            properties.put("bundle", event.bundle());
            properties.put("background", event.background());
            properties.put("time", event.time().toEpochMilli());
            try {
                admin.sendEvent(new Event(Topics.SERVICE_PREFIX + event.to().name(), properties));
            } catch (RuntimeException e) {
                LOG.warn("EventAdmin refused {}", event, e);
            }
        }
    }
}
