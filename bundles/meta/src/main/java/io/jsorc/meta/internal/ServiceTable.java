package io.jsorc.meta.internal;

import io.jsorc.api.CommonService;
import io.jsorc.api.Hook;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The services by name (their registrations, best first, and the background instance) and every live instance,
 * background or disposable, keyed by identity. Changes of one name run in order on that name's lane; readers see
 * volatile snapshots and never wait. An instance is live from its creation until it is retired: then the table
 * forgets it, so nothing here keeps a retired instance (or its bundle's class loader) reachable.
 *
 * <p>Thread-safety: thread-safe.
 */
final class ServiceTable {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceTable.class);

    /** One name: its registrations (best first) and its background instance. */
    static final class Slot {
        volatile List<ServiceSource> sources = List.of();
        volatile Instance background;
        /** Threads of retired instances that were abandoned and still run (no reference to the instances). */
        final List<Instance.Abandoned> lingering = new java.util.concurrent.CopyOnWriteArrayList<>();

        ServiceSource winner() {
            List<ServiceSource> current = sources;
            return current.isEmpty() ? null : current.get(0);
        }
    }

    private final Map<String, Slot> slots = new ConcurrentHashMap<>();
    private final Map<CommonService<?>, Instance> live = Collections.synchronizedMap(new IdentityHashMap<>());
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

    /** Runs {@code work} on {@code name}'s lane and waits for it at most {@code bound}. */
    <T> T onLane(String name, Duration bound, Callable<T> work) {
        return lanes.call(laneKey(name), work, bound, "work on service " + name);
    }

    /** Queues {@code work} on {@code name}'s lane. */
    void onLaneLater(String name, Runnable work) {
        lanes.execute(laneKey(name), work);
    }

    private static String laneKey(String name) {
        return "name:" + name;
    }

    /** How long work on a name's lane may take: building one instance and retiring another. */
    static Duration laneBound(ServiceSource source) {
        return source.startTimeout().multipliedBy(4).plus(source.stopTimeout().multipliedBy(5)).plusSeconds(5);
    }

    // ---------------------------------------------------------------- registrations (on the name's lane)

    Slot add(ServiceSource source) {
        Slot slot = slots.computeIfAbsent(source.name(), n -> new Slot());
        List<ServiceSource> next = new ArrayList<>(slot.sources);
        next.add(source);
        next.sort(null);
        slot.sources = List.copyOf(next);
        return slot;
    }

    Slot remove(ServiceSource source) {
        Slot slot = slots.get(source.name());
        if (slot != null) {
            List<ServiceSource> next = new ArrayList<>(slot.sources);
            next.remove(source);
            slot.sources = List.copyOf(next);
        }
        return slot;
    }

    /** Sorts the registrations of {@code source}'s name again (its ranking changed). */
    Slot resort(ServiceSource source) {
        Slot slot = slots.get(source.name());
        if (slot != null) {
            List<ServiceSource> next = new ArrayList<>(slot.sources);
            next.sort(null);
            slot.sources = List.copyOf(next);
        }
        return slot;
    }

    void dropIfEmpty(String name) {
        slots.computeIfPresent(name, (n, slot) -> slot.sources.isEmpty() && slot.background == null ? null : slot);
    }

    // ---------------------------------------------------------------- instances

    /**
     * A new instance of {@code source}: made by its factory (a bounded call), bound, live, then its settings built
     * from {@code hook}. {@code published} sees it before its settings are built (so a service reading itself while
     * it is built finds it). Null when the factory fails.
     */
    Instance create(ServiceSource source, boolean background, Hook hook, Consumer<Instance> published) {
        CommonService<?> service;
        try {
            service = AuthorCall.call(executors.authors(),
                    new AuthorCall<CommonService<?>>("jsorc/" + source.name() + "/new", "new instance", null,
                            () -> source.factory().get(), source.releaser()),
                    source.startTimeout(), (what, thread, call) -> linger(source, what, thread, call.stillRunning()));
        } catch (Exception e) {
            LOG.error("Building an instance of service {} from {} failed: {}", source.name(), source.label(),
                    e.toString());
            return null;
        }
        if (service == null) {
            LOG.error("The factory of service {} ({}) returned nothing", source.name(), source.label());
            return null;
        }
        if (source.isDeparted()) {
            release(source, service, (what, thread, running) -> linger(source, what, thread, running));
            return null; // its registration left while the factory ran
        }
        Instance instance;
        try {
            instance = new Instance(source, service, background, executors, lanes, events);
        } catch (IllegalStateException e) {
            LOG.error("Service {} from {} handed out an instance twice; is it prototype-scoped?", source.name(),
                    source.label());
            return null;
        }
        live.put(service, instance);
        if (published != null) {
            published.accept(instance);
        }
        instance.control().buildSettings(hook);
        return instance;
    }

    /** Queues a start on the instance's own lane and returns at once (a retire queued later runs after it). */
    void startLater(Instance instance, Hook hook) {
        lanes.execute(instance, () -> instance.control().start(hook));
    }

    /** The live instance of {@code service}, or null (not built here, or retired). */
    Instance instanceOf(CommonService<?> service) {
        return service == null ? null : live.get(service);
    }

    /** The live instances of one registration. */
    List<Instance> instancesOf(ServiceSource source) {
        List<Instance> mine = new ArrayList<>();
        synchronized (live) {
            for (Instance instance : live.values()) {
                if (instance.source() == source) {
                    mine.add(instance);
                }
            }
        }
        return mine;
    }

    int outstanding(String name) {
        int count = 0;
        synchronized (live) {
            for (Instance instance : live.values()) {
                if (!instance.isBackground() && instance.source().name().equals(name)) {
                    count++;
                }
            }
        }
        return count;
    }

    int liveCount() {
        return live.size();
    }

    /**
     * Retires instances and waits until they are closed (each within its close bound), then hands them back to
     * their registration (within the stop timeout) and forgets them. Never waits longer than the bounds, and returns
     * promptly when the waiting thread is interrupted.
     */
    void retire(List<Instance> instances, String why) {
        List<CompletableFuture<Void>> closing = new ArrayList<>();
        for (Instance instance : instances) {
            closing.add(instance.retire(why));
        }
        long deadline = System.nanoTime();
        for (Instance instance : instances) {
            deadline = Math.max(deadline, System.nanoTime() + instance.closeBound().toNanos());
        }
        for (int i = 0; i < instances.size(); i++) {
            Instance instance = instances.get(i);
            try {
                closing.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                LOG.warn("{} did not close within {} s; handed back anyway", instance,
                        instance.closeBound().toSeconds());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                LOG.warn("Interrupted while closing {}; handed back without waiting", instance);
            } catch (ExecutionException e) {
                LOG.warn("Closing {} failed", instance, e.getCause());
            }
            if (live.remove(instance.service()) != null) {
                handBack(instance); // once, by whoever forgot it
                Slot slot = slots.get(instance.source().name());
                if (slot != null) {
                    slot.lingering.addAll(instance.abandonedThreads());
                    slot.lingering.removeIf(entry -> !entry.running().getAsBoolean());
                }
            }
        }
    }

    /**
     * A call outside any instance (building one, handing an unused one back) that ignored its interrupt: logged once,
     * and listed with the name's abandoned threads while it runs.
     */
    private void linger(ServiceSource source, String what, Thread thread, java.util.function.BooleanSupplier running) {
        LOG.warn("Service {} ({}): {} on thread {} ignored its interrupt and did not end within its bound; it is left "
                + "running", source.name(), source.bundle(), what, thread.getName());
        Slot slot = slots.get(source.name());
        if (slot != null) {
            slot.lingering.add(new Instance.Abandoned(what, thread.getName(), java.time.Instant.now(), running));
        }
    }

        private void handBack(Instance instance) {
        release(instance.source(), instance.service(),
                (what, thread, running) -> instance.abandoned(what, thread, running));
    }

    /** Where a release that ignored its interrupt is reported; {@code running} holds nothing of the call. */
    private interface Hung {
        void report(String what, Thread thread, java.util.function.BooleanSupplier running);
    }

    /**
     * Hands {@code service} back to its registration (ungetService: the author's {@code @Deactivate} may run), as a
     * bounded call: a hung one never holds the name's lane.
     */
    private void release(ServiceSource source, CommonService<?> service, Hung hung) {
        try {
            AuthorCall.call(executors.authors(),
                    new AuthorCall<Void>("jsorc/" + source.name() + "/release", "release", null, () -> {
                        source.releaser().accept(service);
                        return null;
                    }, null),
                    source.stopTimeout(), (what, thread, call) -> hung.report(what, thread, call.stillRunning()));
        } catch (Exception e) {
            LOG.debug("Handing back an instance of service {} failed: {}", source.name(), e.toString());
        }
    }
}
