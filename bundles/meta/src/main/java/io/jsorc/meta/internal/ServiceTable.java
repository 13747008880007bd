package io.jsorc.meta.internal;

import io.jsorc.api.CommonService;
import io.jsorc.api.Hook;
import io.jsorc.api.ServiceInfo;
import io.jsorc.api.ServiceState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The services by name: every registration ({@link ServiceSource}), the winner's background instance and the
 * outstanding disposable instances. Changes of one name run in order on that name's lane; readers see volatile
 * snapshots and never wait.
 */
final class ServiceTable {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceTable.class);

    /** One name: its registrations (best first) and its background instance. */
    static final class Slot {
        volatile List<ServiceSource> sources = List.of();
        volatile CommonService<?> background;
        volatile ServiceSource backgroundSource;

        ServiceSource winner() {
            List<ServiceSource> current = sources;
            return current.isEmpty() ? null : current.get(0);
        }
    }

    private final Map<String, Slot> slots = new ConcurrentHashMap<>();
    private final Map<CommonService<?>, ServiceSource> outstanding = new ConcurrentHashMap<>();
    /** The runtime of every live instance (weak: a released instance may be collected). */
    private final Map<CommonService<?>, InstanceRuntime> runtimes =
            java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());
    private final KeyedSerialExecutor lanes;
    private final MetaExecutors executors;
    private final StateEvents events;

    ServiceTable(KeyedSerialExecutor lanes, MetaExecutors executors, StateEvents events) {
        this.lanes = lanes;
        this.executors = executors;
        this.events = events;
    }

    Slot slot(String name) {
        return slots.get(name);
    }

    List<String> names() {
        List<String> names = new ArrayList<>();
        slots.forEach((name, slot) -> {
            if (!slot.sources.isEmpty()) {
                names.add(name);
            }
        });
        return names;
    }

    List<ServiceSource> allSources() {
        List<ServiceSource> all = new ArrayList<>();
        slots.values().forEach(slot -> all.addAll(slot.sources));
        return all;
    }

    /** Runs {@code work} on {@code name}'s lane and waits. */
    <T> T onLane(String name, java.util.concurrent.Callable<T> work) {
        return lanes.call("name:" + name, work);
    }

    /** Adds a registration (on the lane); returns the slot, whose winner may have changed. */
    Slot add(ServiceSource source) {
        Slot slot = slots.computeIfAbsent(source.name(), n -> new Slot());
        List<ServiceSource> next = new ArrayList<>(slot.sources);
        next.add(source);
        next.sort(null);
        slot.sources = List.copyOf(next);
        return slot;
    }

    /** Removes a registration and releases its disposables (on the lane). */
    Slot remove(ServiceSource source, Hook hook) {
        Slot slot = slots.get(source.name());
        if (slot == null) {
            return null;
        }
        List<ServiceSource> next = new ArrayList<>(slot.sources);
        next.remove(source);
        slot.sources = List.copyOf(next);
        releaseDisposables(other -> other == source);
        return slot;
    }

    /** Drops a slot without registrations (on the lane). */
    void dropIfEmpty(String name) {
        slots.computeIfPresent(name, (n, slot) -> slot.sources.isEmpty() && slot.background == null ? null : slot);
    }

    /** A new instance of {@code source}, bound and with its settings built; null when the factory fails. */
    CommonService<?> create(ServiceSource source, boolean background, Hook hook) {
        CommonService<?> service;
        try {
            service = source.factory().get();
        } catch (RuntimeException e) {
            LOG.error("Building an instance of service {} from {} failed", source.name(), source.label(), e);
            return null;
        }
        if (service == null) {
            LOG.error("The factory of service {} ({}) returned nothing", source.name(), source.label());
            return null;
        }
        InstanceRuntime runtime = new InstanceRuntime(source, service.getClass().getClassLoader(), lanes,
                executors.runs(), events, background);
        try {
            runtime.attach(service);
        } catch (IllegalStateException e) {
            LOG.error("Service {} from {} handed out an instance twice; is it prototype-scoped?", source.name(),
                    source.label());
            return null;
        }
        runtimes.put(service, runtime);
        service.buildSettings(hook);
        if (!background) {
            outstanding.put(service, source);
        }
        return service;
    }

    /**
     * Queues a start on the instance's own lane and returns at once: a retire queued after it runs after it, so
     * a start can never act on a retired instance.
     */
    void startLater(CommonService<?> service, Hook hook) {
        InstanceRuntime runtime = runtimes.get(service);
        if (runtime != null) {
            lanes.execute(runtime, () -> service.start(hook));
        }
    }

    /** Whether the instance is RUNNING once the transitions queued before this call have run. */
    boolean runningAfterPending(CommonService<?> service) {
        InstanceRuntime runtime = runtimes.get(service);
        return runtime == null ? service.isRunning() : lanes.call(runtime, service::isRunning);
    }

    /** Resets, closes and releases an instance (its daemons end, its app is closed). */
    void retire(CommonService<?> service, ServiceSource source, Hook hook) {
        try {
            service.reset(hook, false);
            service.close();
        } catch (RuntimeException e) {
            LOG.warn("Retiring an instance of {} failed", source.name(), e);
        }
        try {
            source.releaser().accept(service);
        } catch (RuntimeException e) {
            LOG.debug("Releasing an instance of {} failed", source.name(), e);
        }
    }

    /** Hands back a disposable instance; false when it is not an outstanding one. */
    boolean release(CommonService<?> service, Hook hook) {
        ServiceSource source = outstanding.remove(service);
        if (source == null) {
            return false;
        }
        retire(service, source, hook);
        return true;
    }

    void releaseDisposables(Predicate<ServiceSource> which) {
        outstanding.forEach((service, source) -> {
            if (which.test(source) && outstanding.remove(service, source)) {
                source.releaser().accept(closed(service));
            }
        });
    }

    int outstanding(String name) {
        int count = 0;
        for (ServiceSource source : outstanding.values()) {
            if (source.name().equals(name)) {
                count++;
            }
        }
        return count;
    }

    ServiceInfo info(String name) {
        Slot slot = slots.get(name);
        ServiceSource winner = slot == null ? null : slot.winner();
        if (winner == null) {
            return null;
        }
        List<String> fallbacks = new ArrayList<>();
        for (ServiceSource source : slot.sources.subList(1, slot.sources.size())) {
            fallbacks.add(source.label());
        }
        CommonService<?> service = slot.background;
        if (service == null) {
            return new ServiceInfo(name, ServiceState.NOT_STARTED, false, false, winner.bundle(), winner.ranking(),
                    winner.id(), fallbacks, winner.configGlob(), winner.manifestGlob(), null, null, null, 0, 0,
                    List.of(), null, outstanding(name));
        }
        return new ServiceInfo(name, service.getState(), service.isEnabled(), service.isQuiet(), winner.bundle(),
                winner.ranking(), winner.id(), fallbacks, winner.configGlob(), winner.manifestGlob(),
                service.getLastError(), service.getLastErrorTime(), service.getLastErrorDetail(),
                service.getStartCount(), service.getResetCount(), service.getDaemons(),
                service.getLastStartDuration(), outstanding(name));
    }

    private static CommonService<?> closed(CommonService<?> service) {
        try {
            service.close();
        } catch (RuntimeException e) {
            LOG.warn("Closing an instance of {} failed", service.serviceName(), e);
        }
        return service;
    }
}
