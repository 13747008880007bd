package io.jsorc.meta.internal;

import io.jsorc.api.CommonService;
import io.jsorc.api.Hook;
import io.jsorc.api.MetaService;
import io.jsorc.api.ServiceInfo;
import io.jsorc.api.ServiceProperties;
import io.jsorc.api.ServiceState;
import io.jsorc.api.config.GlobStore;
import io.jsorc.api.config.Origin;
import io.jsorc.api.event.ServiceStateListener;
import io.jsorc.api.spi.AutomationProvider;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.event.EventAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code meta} singleton. Registry work (a service arriving, leaving, its winner changing) runs on the
 * service name's lane; instance transitions run on each instance's lane; readers never wait for either.
 */
@Component(service = MetaService.class, immediate = true)
public final class MetaServiceImpl implements MetaService {

    private static final Logger LOG = LoggerFactory.getLogger(MetaServiceImpl.class);

    private final GlobStore globs;
    private final Registrar registrar;
    private final MetaExecutors executors = new MetaExecutors();
    private final KeyedSerialExecutor lanes = new KeyedSerialExecutor(executors.transitions());
    private final StateEvents events = new StateEvents(executors.events());
    private final ServiceTable table = new ServiceTable(lanes, executors, events);
    private final Contexts contexts = new Contexts();
    private final List<AutomationProvider> automation = new CopyOnWriteArrayList<>();
    private final AtomicInteger metaRefreshes = new AtomicInteger();
    private final String bundle;
    private final RegistrationTracker tracker;
    private volatile MetaConfig metaConfig;
    private volatile boolean closed;

    /** The DS constructor: tracks {@code CommonService} registrations in {@code context}. */
    @Activate
    public MetaServiceImpl(BundleContext context, @Reference GlobStore globs) {
        this.globs = globs;
        this.bundle = context.getBundle().getSymbolicName() + " " + context.getBundle().getVersion();
        this.metaConfig = MetaConfig.read(globs);
        this.tracker = new RegistrationTracker(context, this, contexts);
        this.registrar = tracker;
        tracker.open();
        LOG.info("MetaService started; automation in META_CONFIG: {}", metaConfig.automation());
    }

    /** Without OSGi (the test kit): services come only through {@link #addSource}. */
    public MetaServiceImpl(GlobStore globs, Registrar registrar) {
        this.globs = globs;
        this.registrar = registrar;
        this.bundle = "io.jsorc.meta";
        this.tracker = null;
        this.metaConfig = MetaConfig.read(globs);
    }

    /** Closes every instance, then stops every thread MetaService started. */
    @Deactivate
    public void close() {
        closed = true;
        if (tracker != null) {
            tracker.close();
        }
        for (ServiceSource source : table.allSources()) {
            removeSource(source);
        }
        executors.shutdown(10_000);
        LOG.info("MetaService stopped");
    }

    // ------------------------------------------------------------ registrations

    /** A registration arrived: its slot is updated on its lane (this call only enqueues). */
    public void addSource(ServiceSource source) {
        lanes.execute("name:" + source.name(), () -> {
            ServiceTable.Slot slot = table.add(source);
            reconcile(source.name(), slot);
        });
    }

    /** As {@link #addSource}, but returns once the arrival was handled (the test kit's registration). */
    public void addSourceAndWait(ServiceSource source) {
        table.onLane(source.name(), () -> {
            ServiceTable.Slot slot = table.add(source);
            reconcile(source.name(), slot);
            return null;
        });
    }

    /**
     * A registration left: its instances are reset, closed and released before this returns (bounded by the
     * transitions they run), so the leaving bundle's code is not called after it stopped.
     */
    public void removeSource(ServiceSource source) {
        table.onLane(source.name(), () -> {
            ServiceTable.Slot slot = table.remove(source, bareHook());
            if (slot != null) {
                reconcile(source.name(), slot);
                table.dropIfEmpty(source.name());
            }
            return null;
        });
    }

    /** On the name's lane: makes the background instance belong to the winner. */
    private void reconcile(String name, ServiceTable.Slot slot) {
        ServiceSource winner = slot.winner();
        ServiceSource current = slot.backgroundSource;
        if (current == winner && (winner == null || slot.background != null)) {
            return;
        }
        boolean replacing = slot.background != null;
        boolean wasRunning = replacing && table.runningAfterPending(slot.background);
        if (replacing) {
            CommonService<?> old = slot.background;
            slot.background = null;
            slot.backgroundSource = null;
            table.retire(old, current, bareHook());
            LOG.info("Service {}: {} replaced by {}", name, current.label(),
                    winner == null ? "nothing" : winner.label());
        }
        if (winner == null || closed) {
            return;
        }
        Hook hook = bareHook();
        CommonService<?> fresh = table.create(winner, true, hook);
        if (fresh == null) {
            return;
        }
        slot.background = fresh;
        slot.backgroundSource = winner;
        boolean start = replacing ? wasRunning : !(isAutomated() && metaConfig.keepAlive().contains(name));
        if (start && fresh.isEnabled()) {
            table.startLater(fresh, hook);
        }
    }

    // ------------------------------------------------------------ MetaService

    @Override
    public CommonService<?> buildService(String name, boolean background, Hook hook) {
        ServiceTable.Slot slot = table.slot(name);
        ServiceSource winner = slot == null ? null : slot.winner();
        if (winner == null) {
            LOG.error("Service {} is not yet set!", name);
            return null;
        }
        Hook settings = hook != null ? hook : bareHook();
        if (!background) {
            return table.create(winner, false, settings);
        }
        return table.onLane(name, () -> {
            ServiceSource best = slot.winner();
            if (best == null) {
                return null;
            }
            CommonService<?> fresh = table.create(best, true, settings);
            if (fresh != null) {
                CommonService<?> old = slot.background;
                ServiceSource oldSource = slot.backgroundSource;
                slot.background = fresh;
                slot.backgroundSource = best;
                if (old != null) {
                    table.retire(old, oldSource, settings);
                }
            }
            return fresh;
        });
    }

    @Override
    public CommonService<?> getService(String name, Hook hook) {
        ServiceTable.Slot slot = table.slot(name);
        if (slot == null || slot.winner() == null) {
            LOG.debug("Service {} is not yet set!", name);
            return null;
        }
        CommonService<?> existing = slot.background;
        if (existing != null) {
            return existing;
        }
        Hook settings = hook != null ? hook : bareHook();
        return table.onLane(name, () -> {
            if (slot.background == null && slot.winner() != null && !closed) {
                CommonService<?> fresh = table.create(slot.winner(), true, settings);
                if (fresh != null) {
                    slot.background = fresh;
                    slot.backgroundSource = slot.winner();
                }
            }
            return slot.background;
        });
    }

    @Override
    public void release(CommonService<?> service) {
        if (service != null && !table.release(service, bareHook())) {
            LOG.warn("release: {} is not an outstanding disposable instance", service.serviceName());
        }
    }

    @Override
    public ServiceRegistration<?> addServiceBuilder(BundleContext owner, String name,
            Supplier<? extends CommonService<?>> supplier) {
        if (!RegistrationTracker.validName(name)) {
            throw new IllegalArgumentException("Invalid service name " + name + ": it must match "
                    + RegistrationTracker.NAME_PATTERN);
        }
        if (ServiceProperties.META.equals(name) || (table.slot(name) != null && table.slot(name).winner() != null)) {
            throw new IllegalArgumentException(name + " already exists!");
        }
        return registrar.register(owner, name, supplier);
    }

    @Override
    public void addContext(String name, Class<?> type, Object... args) {
        contexts.add(name, type, args);
    }

    @Override
    public Class<?> getContext(String name) {
        return contexts.get(name);
    }

    @Override
    public Object buildContext(String name, Object... args) {
        return contexts.build(name, args);
    }

    @Override
    public Hook buildHook() {
        Hook hook = new HookImpl(this, globs, "hook");
        Map<String, CommonService<?>> attached = new LinkedHashMap<>();
        for (String name : List.of("promon", "redis", "task", "mail")) {
            attached.put(name, hook.service(name));
        }
        if (!isAutomated()) {
            for (String name : List.of("mail", "redis", "task")) {
                attached.get(name).start(hook);
            }
        }
        return hook;
    }

    @Override
    public Object buildMaster(Object... args) {
        return contexts.build("master", withHook(args));
    }

    @Override
    public Object buildSuperMaster(Object... args) {
        return contexts.build("super_master", withHook(args));
    }

    private Object[] withHook(Object... args) {
        Object[] given = args == null ? new Object[0] : args;
        for (Object arg : given) {
            if (arg instanceof Hook) {
                return given;
            }
        }
        Object[] all = new Object[given.length + 1];
        all[0] = buildHook();
        System.arraycopy(given, 0, all, 1, given.length);
        return all;
    }

    @Override
    public boolean isAutomated() {
        for (AutomationProvider provider : automation) {
            try {
                if (provider.isAutomated()) {
                    return true;
                }
            } catch (RuntimeException e) {
                LOG.warn("AutomationProvider {} failed", provider, e);
            }
        }
        return false;
    }

    @Override
    public List<String> serviceNames() {
        Set<String> names = new TreeSet<>(table.names());
        names.add(ServiceProperties.META);
        return new ArrayList<>(names);
    }

    @Override
    public Optional<ServiceInfo> info(String name) {
        if (ServiceProperties.META.equals(name)) {
            return Optional.of(metaInfo());
        }
        return Optional.ofNullable(table.info(name));
    }

    @Override
    public List<ServiceInfo> infos() {
        List<ServiceInfo> all = new ArrayList<>();
        for (String name : serviceNames()) {
            info(name).ifPresent(all::add);
        }
        return all;
    }

    @Override
    public boolean refresh(String name) {
        if (ServiceProperties.META.equals(name)) {
            refreshMeta();
            return true;
        }
        ServiceTable.Slot slot = table.slot(name);
        if (slot == null || slot.winner() == null) {
            return false;
        }
        Hook hook = bareHook();
        CommonService<?> service = getService(name, hook);
        if (service == null) {
            return false;
        }
        service.reset(hook, !isAutomated());
        return true;
    }

    private void refreshMeta() {
        metaConfig = MetaConfig.read(globs);
        metaRefreshes.incrementAndGet();
        LOG.info("META_CONFIG re-read (automation {}); rebuilding every service", metaConfig.automation());
        for (String name : table.names()) {
            table.onLane(name, () -> {
                ServiceTable.Slot slot = table.slot(name);
                if (slot == null) {
                    return null;
                }
                CommonService<?> old = slot.background;
                ServiceSource oldSource = slot.backgroundSource;
                slot.background = null;
                slot.backgroundSource = null;
                if (old != null) {
                    table.retire(old, oldSource, bareHook());
                }
                reconcile(name, slot);
                return null;
            });
        }
    }

    @Override
    public Optional<ServiceState> start(String name) {
        Hook hook = bareHook();
        CommonService<?> service = getService(name, hook);
        if (service == null) {
            return Optional.empty();
        }
        service.start(hook);
        return Optional.of(service.getState());
    }

    @Override
    public Set<String> configNames() {
        Set<String> names = new TreeSet<>();
        names.add(ServiceProperties.META_CONFIG);
        for (ServiceSource source : table.allSources()) {
            names.add(source.configGlob());
        }
        return Collections.unmodifiableSet(names);
    }

    /** The META_CONFIG values read at activation or at the last {@code refresh("meta")}. */
    public MetaConfig metaConfig() {
        return metaConfig;
    }

    private ServiceInfo metaInfo() {
        return new ServiceInfo(ServiceProperties.META, closed ? ServiceState.NOT_STARTED : ServiceState.RUNNING, true,
                false, bundle, 0, 0, List.of(), ServiceProperties.META_CONFIG, null, null, null, null, 1,
                metaRefreshes.get(), List.of(), null, 0);
    }

    private Hook bareHook() {
        return new HookImpl(this, globs, "meta");
    }

    // ------------------------------------------------------------ dynamic references

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    public void addAutomationProvider(AutomationProvider provider) {
        automation.add(provider);
    }

    public void removeAutomationProvider(AutomationProvider provider) {
        automation.remove(provider);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    public void addStateListener(ServiceStateListener listener) {
        events.addListener(listener);
    }

    public void removeStateListener(ServiceStateListener listener) {
        events.removeListener(listener);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    public void setEventAdmin(EventAdmin admin) {
        events.setEventAdmin(admin);
    }

    public void unsetEventAdmin(EventAdmin admin) {
        events.unsetEventAdmin(admin);
    }

    static Origin defaultOrigin() {
        return Origin.local("meta", "default");
    }
}
