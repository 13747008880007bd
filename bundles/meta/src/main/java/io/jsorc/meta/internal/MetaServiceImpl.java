package io.jsorc.meta.internal;

import io.jsorc.api.CommonService;
import io.jsorc.api.Hook;
import io.jsorc.api.MetaService;
import io.jsorc.api.ServiceInfo;
import io.jsorc.api.ServiceProperties;
import io.jsorc.api.ServiceState;
import io.jsorc.api.config.AuditEntry;
import io.jsorc.api.config.GlobStore;
import io.jsorc.api.config.GlobValue;
import io.jsorc.api.config.Origin;
import io.jsorc.api.config.Secrets;
import io.jsorc.api.event.ServiceStateListener;
import io.jsorc.api.spi.AutomationProvider;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
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
 * The {@code meta} singleton. Registrations are tracked from {@link #open} on, after DS has bound the listeners,
 * EventAdmin and automation providers present at start, so no state event of the first services is lost.
 * Registry work runs on the service name's lane ({@link Registry}), transitions on each instance's lane
 * ({@link Instance}); readers never wait for either.
 */
@Component(service = MetaService.class, immediate = true)
public final class MetaServiceImpl implements MetaService {

    private static final Logger LOG = LoggerFactory.getLogger(MetaServiceImpl.class);
    private static final List<String> HOOKED = List.of("promon", "redis", "task", "mail");
    private static final List<String> STARTED_BY_HOOK = List.of("mail", "redis", "task");

    private final GlobStore globs;
    private final Registrar registrar;
    private final MetaExecutors executors = new MetaExecutors();
    private final KeyedSerialExecutor lanes = new KeyedSerialExecutor(executors.transitions());
    private final StateEvents events = new StateEvents(executors.events());
    private final ServiceTable table = new ServiceTable(lanes, executors, events);
    private final Registry registry;
    private final Contexts contexts = new Contexts();
    private final List<AutomationProvider> loops = new CopyOnWriteArrayList<>();
    private final AtomicInteger metaRefreshes = new AtomicInteger();
    private final String bundle;
    private final RegistrationTracker tracker;
    private volatile MetaConfig metaConfig;
    private final Object metaLock = new Object();
    /** Null without OSGi (the test kit). */
    private final BundleContext context;
    /** Loops bound through DS, and the service objects resolved for them. */
    private final Object loopsLock = new Object();
    private final Set<ServiceReference<AutomationProvider>> boundLoops = ConcurrentHashMap.newKeySet();
    private final Map<ServiceReference<AutomationProvider>, AutomationProvider> resolvedLoops =
            new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** The DS constructor; tracking starts in {@link #open}, once the dynamic references are bound. */
    @Activate
    public MetaServiceImpl(BundleContext context, @Reference GlobStore globs) {
        this.context = context;
        this.globs = globs;
        this.bundle = context.getBundle().getSymbolicName() + " " + context.getBundle().getVersion();
        this.metaConfig = MetaConfig.read(globs);
        this.registry = new Registry(table, this::bareHook, this::automationLooksAfter);
        this.tracker = new RegistrationTracker(context, registry, contexts);
        this.registrar = tracker;
    }

    /** Without OSGi (the test kit): services come only through {@link #register}. */
    public MetaServiceImpl(GlobStore globs, Registrar registrar) {
        this.globs = globs;
        this.registrar = registrar;
        this.context = null;
        this.bundle = "io.jsorc.meta";
        this.metaConfig = MetaConfig.read(globs);
        this.registry = new Registry(table, this::bareHook, this::automationLooksAfter);
        this.tracker = null;
    }

    /** DS activate (after the constructor and the bind methods): starts tracking registrations. */
    @Activate
    void open() {
        tracker.open();
        LOG.info("MetaService started; automation in META_CONFIG: {}", metaConfig.automation());
    }

    /** Closes every instance (each within its bounds), then stops every thread MetaService started. */
    @Deactivate
    public void close() {
        closed = true;
        registry.close();
        if (tracker != null) {
            tracker.close();
        }
        for (ServiceSource source : table.allSources()) {
            registry.removed(source);
        }
        executors.shutdown(10_000);
        LOG.info("MetaService stopped");
    }

    // ------------------------------------------------------------ registrations without a registry (test kit)

    /** Adds a registration and waits until its arrival was handled. */
    public void register(ServiceSource source) {
        registry.addedAndWait(source);
    }

    /** Removes a registration as its bundle stopping would (bounded wait). */
    public void unregister(ServiceSource source) {
        registry.removed(source);
    }

    // ------------------------------------------------------------ MetaService: instances

    @Override
    public CommonService<?> buildService(String name, boolean background, Hook hook) {
        ServiceTable.Slot slot = table.slot(name);
        ServiceSource winner = slot == null ? null : slot.winner();
        if (winner == null) {
            LOG.error("Service {} is not yet set!", name);
            return null;
        }
        Hook settings = hook != null ? hook : bareHook();
        return table.onLane(name, ServiceTable.laneBound(winner), () -> {
            ServiceSource best = slot.winner();
            if (best == null || closed) {
                return null;
            }
            Instance fresh = table.create(best, background, settings, null);
            if (fresh == null) {
                return null;
            }
            if (background) {
                Instance old = slot.background;
                slot.background = fresh;
                if (old != null) {
                    table.retire(List.of(old), "replaced by buildService");
                }
            }
            return fresh.service();
        });
    }

    @Override
    public CommonService<?> getService(String name, Hook hook) {
        ServiceTable.Slot slot = table.slot(name);
        ServiceSource winner = slot == null ? null : slot.winner();
        if (winner == null) {
            LOG.debug("Service {} is not yet set!", name);
            return null;
        }
        Instance existing = slot.background;
        if (existing != null) {
            return existing.service();
        }
        Hook settings = hook != null ? hook : bareHook();
        return table.onLane(name, ServiceTable.laneBound(winner), () -> {
            if (slot.background == null && slot.winner() != null && !closed) {
                table.create(slot.winner(), true, settings, created -> slot.background = created);
            }
            Instance now = slot.background;
            return now == null ? null : now.service();
        });
    }

    @Override
    public void release(CommonService<?> service) {
        Instance instance = table.instanceOf(service);
        if (instance == null || instance.isBackground()) {
            LOG.warn("release: {} is not an outstanding disposable instance",
                    service == null ? null : service.serviceName());
            return;
        }
        table.onLane(instance.source().name(), ServiceTable.laneBound(instance.source()), () -> {
            table.retire(List.of(instance), "released");
            return null;
        });
    }

    @Override
    public ServiceState start(CommonService<?> service, Hook hook) {
        instance(service).control().start(hook != null ? hook : bareHook());
        return service.getState();
    }

    @Override
    public ServiceState reset(CommonService<?> service, Hook hook, boolean start) {
        instance(service).control().reset(hook != null ? hook : bareHook(), start);
        return service.getState();
    }

    @Override
    public void fail(CommonService<?> service, Throwable error) {
        instance(service).control().fail(error);
    }

    private Instance instance(CommonService<?> service) {
        Instance instance = table.instanceOf(service);
        if (instance == null) {
            throw new IllegalArgumentException(service + " was not built by this MetaService, or was released");
        }
        return instance;
    }

    // ------------------------------------------------------------ MetaService: by name

    @Override
    public boolean refresh(String name) {
        return refresh(name, Origin.local(UNKNOWN_ACTOR, "api"));
    }

    /** The actor of a refresh through {@link #refresh(String)}, which does not say who asks. */
    static final String UNKNOWN_ACTOR = "unknown";

    @Override
    public boolean refresh(String name, Origin origin) {
        java.util.Objects.requireNonNull(origin, "origin");
        Optional<ServiceInfo> target = info(name);
        if (target.isEmpty()) {
            return false;
        }
        String glob = ServiceProperties.META.equals(name) ? ServiceProperties.META_CONFIG : target.get().configGlob();
        long revision;
        try {
            revision = glob == null ? 0 : globs.get(glob).map(GlobValue::revision).orElse(0L);
        } catch (RuntimeException unreadable) {
            revision = 0; // the refresh itself reports what is wrong with the glob
        }
        Map<String, Object> outcome = new java.util.LinkedHashMap<>();
        try {
            if (!doRefresh(name)) {
                return false;
            }
            outcome.put("state", info(name).map(i -> i.state().name()).orElse("gone"));
            return true;
        } catch (RuntimeException | Error e) {
            outcome.put("error", e.getClass().getSimpleName() + ": " + e.getMessage());
            throw e;
        } finally {
            // after the refresh, with its outcome: a refresh given up at its bound is recorded as such
            if (!outcome.isEmpty()) {
                events.audit(new AuditEntry(AuditEntry.SERVICE_REFRESH, name, revision, origin, Instant.now(),
                        Secrets.maskedJson("outcome", outcome)));
            }
        }
    }

    /** The refresh itself, once recorded. */
    private boolean doRefresh(String name) {
        if (ServiceProperties.META.equals(name)) {
            refreshMeta();
            return true;
        }
        Hook hook = bareHook();
        CommonService<?> service = getService(name, hook);
        if (service == null) {
            return false;
        }
        try {
            reset(service, hook, !automationLooksAfter(name));
        } finally {
            tellLoops(loop -> loop.serviceRefreshed(name));   // an operator's refresh lifts a quarantine anyway
        }
        return true;
    }

    @Override
    public Optional<ServiceState> start(String name) {
        Hook hook = bareHook();
        CommonService<?> service = getService(name, hook);
        return service == null ? Optional.empty() : Optional.of(start(service, hook));
    }

    private void refreshMeta() {
        MetaConfig read;
        synchronized (metaLock) {      // read and publish in one step: the loops see reads in sequence order
            read = MetaConfig.read(globs);
            metaConfig = read;
        }
        metaRefreshes.incrementAndGet();
        LOG.info("META_CONFIG re-read (automation {}); rebuilding every service", read.automation());
        tellLoops(loop -> {
            loop.metaConfigRead(read.sequence(), read.values());
            loop.serviceRefreshed(ServiceProperties.META);
        });
        for (String name : table.names()) {
            registry.rebuild(name);
        }
    }

    @Override
    public boolean isAutomated() {
        return metaConfig.automation();
    }

    /** Automation is on and {@code name} is in keep_alive: the JsOrc loop, not MetaService, starts it. */
    boolean automationLooksAfter(String name) {
        MetaConfig config = metaConfig;
        return config.automation() && config.keepAlive().contains(name);
    }

    // ------------------------------------------------------------ MetaService: builders, contexts, hooks

    @Override
    public ServiceRegistration<?> addServiceBuilder(BundleContext owner, String name,
            Supplier<? extends CommonService<?>> supplier) {
        if (!RegistrationTracker.validName(name)) {
            throw new IllegalArgumentException("Invalid service name " + name + ": it must match "
                    + RegistrationTracker.NAME_PATTERN);
        }
        ServiceTable.Slot slot = table.slot(name);
        if (ServiceProperties.META.equals(name) || (slot != null && slot.winner() != null)) {
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
        for (String name : HOOKED) {
            hook.service(name);
        }
        for (String name : STARTED_BY_HOOK) {
            Instance instance = table.instanceOf(hook.service(name));
            if (instance != null && !automationLooksAfter(name)) {
                instance.control().start(hook);
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

    // ------------------------------------------------------------ MetaService: reading

    @Override
    public List<String> serviceNames() {
        Set<String> names = new TreeSet<>(table.names());
        names.add(ServiceProperties.META);
        return new ArrayList<>(names);
    }

    @Override
    public Optional<ServiceInfo> info(String name) {
        if (ServiceProperties.META.equals(name)) {
            String note = metaConfig.automation() && !loopRunning()
                    ? "META_CONFIG.automation is on but no JsOrc loop is running: keep_alive services wait" : null;
            return Optional.of(Infos.meta(bundle, !closed, metaRefreshes.get(), note));
        }
        ServiceTable.Slot slot = table.slot(name);
        return slot == null ? Optional.empty()
                : Optional.ofNullable(Infos.of(name, slot, automationLooksAfter(name), table.outstanding(name)));
    }

    @Override
    public List<ServiceInfo> infos() {
        List<ServiceInfo> all = new ArrayList<>();
        for (String name : serviceNames()) {
            info(name).ifPresent(all::add);
        }
        return all;
    }

    /** The META_CONFIG values read at activation or at the last {@code refresh("meta")}. */
    public MetaConfig metaConfig() {
        return metaConfig;
    }

    /** Whether a JsOrc loop is registered and running (else the meta row says keep_alive services wait). */
    boolean loopRunning() {
        for (AutomationProvider loop : loops) {
            try {
                if (loop.isRunning()) {
                    return true;
                }
            } catch (RuntimeException e) {
                LOG.warn("AutomationProvider {} failed", loop, e);
            }
        }
        return false;
    }

    /** Whether transitions of {@code service} are queued or running (for tests that await queued work). */
    boolean transitionsPending(CommonService<?> service) {
        Instance instance = table.instanceOf(service);
        return instance != null && lanes.busy(instance);
    }

    /** The thread allowed to run transitions of {@code service} inline now, or null (for tests). */
    Thread inlineThread(CommonService<?> service) {
        Instance instance = table.instanceOf(service);
        return instance == null ? null : instance.inlineThread();
    }

    /** Live instances, background and disposable (for tests: retired ones must be gone). */
    int liveInstances() {
        return table.liveCount();
    }

    private Hook bareHook() {
        return new HookImpl(this, globs, "meta");
    }

    // ------------------------------------------------------------ dynamic references

    /**
     * DS binds a loop by its reference only: the loop needs MetaService to be built, and this may run while
     * MetaService activates, so getting the loop's object here would be a circular reference. It is got, and told
     * the current {@code META_CONFIG}, on an event thread right after.
     */
    @Reference(service = AutomationProvider.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, unbind = "unbindAutomationProvider")
    void bindAutomationProvider(ServiceReference<AutomationProvider> reference) {
        synchronized (loopsLock) {
            boundLoops.add(reference);
        }
        if (closed) {
            return;
        }
        try {
            executors.events().execute(() -> resolveLoop(reference));
        } catch (RejectedExecutionException e) {
            LOG.debug("MetaService is stopping: loop {} not resolved", reference);
        }
    }

    /** On an event thread: gets the bound loop's object and tells it the current META_CONFIG. */
    private void resolveLoop(ServiceReference<AutomationProvider> reference) {
        AutomationProvider loop;
        try {
            loop = context.getService(reference);
        } catch (RuntimeException e) {
            LOG.warn("The JsOrc loop {} could not be got ({}); automation waits for it", reference, e.toString());
            return;
        }
        if (loop == null) {
            LOG.warn("The JsOrc loop {} could not be got (it did not activate); automation waits for it", reference);
            return;
        }
        boolean added;
        synchronized (loopsLock) {
            added = boundLoops.contains(reference) && resolvedLoops.putIfAbsent(reference, loop) == null;
            if (added) {
                loops.add(loop);
            }
        }
        if (!added) {
            context.ungetService(reference);
            return;
        }
        MetaConfig read = metaConfig;
        tell(loop, bound -> bound.metaConfigRead(read.sequence(), read.values()));
    }

    void unbindAutomationProvider(ServiceReference<AutomationProvider> reference) {
        AutomationProvider loop;
        synchronized (loopsLock) {
            boundLoops.remove(reference);
            loop = resolvedLoops.remove(reference);
            if (loop != null) {
                loops.removeIf(bound -> bound == loop);
            }
        }
        if (loop != null) {
            context.ungetService(reference);
        }
    }

    /** Adds a loop and tells it the current {@code META_CONFIG} (DS: through {@link #bindAutomationProvider}). */
    public void addAutomationProvider(AutomationProvider provider) {
        loops.add(provider);
        MetaConfig read = metaConfig;
        tell(provider, loop -> loop.metaConfigRead(read.sequence(), read.values()));
    }

    /** Calls every bound loop (foreign code: never under a lock; a failure is logged, not passed on). */
    private void tellLoops(Consumer<AutomationProvider> call) {
        for (AutomationProvider loop : loops) {
            tell(loop, call);
        }
    }

    private static void tell(AutomationProvider loop, Consumer<AutomationProvider> call) {
        try {
            call.accept(loop);
        } catch (RuntimeException e) {
            LOG.warn("AutomationProvider {} failed", loop, e);
        }
    }

    public void removeAutomationProvider(AutomationProvider provider) {
        loops.removeIf(bound -> bound == provider);
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
}
