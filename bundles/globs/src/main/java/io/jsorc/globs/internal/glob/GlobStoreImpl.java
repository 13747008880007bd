package io.jsorc.globs.internal.glob;

import io.jsorc.api.config.GlobException;
import io.jsorc.api.config.GlobException.Reason;
import io.jsorc.api.config.GlobStore;
import io.jsorc.api.config.GlobValue;
import io.jsorc.api.config.AuditEntry;
import io.jsorc.api.config.Origin;
import io.jsorc.api.config.StoredGlob;
import io.jsorc.api.event.GlobEvent;
import io.jsorc.api.event.GlobListener;
import io.jsorc.api.spi.GlobTier;
import io.jsorc.globs.internal.json.Json;
import io.jsorc.globs.internal.schema.SchemaCheck;
import io.jsorc.globs.internal.schema.Schemas;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The glob store: a process-wide memory cache plus every registered {@link GlobTier}; the tier with the highest
 * {@code order()} is the truth. A write reaches the truth first (compare-and-set on the revision it read), then
 * the lower tiers; when the truth refuses or fails nothing else is touched. Edits made in the truth behind our
 * back arrive through {@link GlobTier#subscribe} and are handled by {@link ExternalChanges}.
 *
 * <p>Thread-safety: every method is thread-safe. Writes to one name are serialized by a per-name lock held only
 * around tier calls (our own SPI); listeners and EventAdmin are called on the event thread, never under it.
 */
@Component(service = GlobStore.class, immediate = true, configurationPid = GlobStoreImpl.PID)
@Designate(ocd = GlobStoreImpl.Config.class)
public final class GlobStoreImpl implements GlobStore {

    private static final Logger LOG = LoggerFactory.getLogger(GlobStoreImpl.class);

    /** The configuration PID of the store ({@code etc/jsorc.globs.cfg}). */
    public static final String PID = "jsorc.globs";

    /** The store's settings. */
    @ObjectClassDefinition(name = "JsOrc glob store", description = "Limits of the config glob store.")
    public @interface Config {

        @AttributeDefinition(name = "Largest glob", description = "The largest canonical JSON text of a glob, in "
                + "UTF-8 bytes (every glob but *_MANIFEST). Default 1 MiB.")
        long max_value_bytes() default Limits.MIB;

        @AttributeDefinition(name = "Largest manifest", description = "The largest canonical JSON text of a "
                + "*_MANIFEST glob, in UTF-8 bytes. Default 8 MiB.")
        long max_manifest_bytes() default 8 * Limits.MIB;
    }

    private volatile Limits limits;
    private volatile Schemas schemas;
    private volatile GlobHistory history = new GlobHistory(null);
    private final Tiers tiers = new Tiers();
    private final List<GlobListener> listeners = new CopyOnWriteArrayList<>();
    private volatile EventAdmin eventAdmin;
    private final GlobEvents events = new GlobEvents(() -> listeners, () -> eventAdmin);
    /** Per glob name: concurrent writers share one durable write ({@link GroupCommit}). */
    private final java.util.Map<String, GroupCommit<Tiers.Change>> committers =
            new java.util.concurrent.ConcurrentHashMap<>();
    private final ExternalChanges external;
    private final SharedReplica replica;
    /** Defaults served unstored while the shared store could not take them: stored when it can (name → text). */
    private final Map<String, Pending> pendingDefaults = new java.util.concurrent.ConcurrentHashMap<>();

    private record Pending(String json, Origin origin) {
    }

    /** The test kit's store: the process-wide memory tier only, nothing durable, the default limits. */
    public GlobStoreImpl() {
        this(Limits.DEFAULT);
    }

    /** A memory-only store with these limits. */
    public GlobStoreImpl(Limits limits) {
        this.limits = limits;
        this.external = new ExternalChanges(tiers, this::publishExternal, this::canonical, this::checked,
                events::refused);
        tiers.revisionFloor(name -> history.newest(name)); // a glob created again continues after its history
        this.replica = new SharedReplica(tiers, this::applied, events::publish, this::storePendingDefaults);
        LOG.info("Glob store started (limits: {} bytes, manifests {} bytes)", limits.valueBytes(),
                limits.manifestBytes());
    }

    /**
     * The DS constructor. The Config Admin tier is a mandatory static reference: no write is acknowledged, and no
     * default written over a stored value, while nothing durable is bound; when it goes, this store (and
     * MetaService, which needs it) go too.
     */
    @Activate
    public GlobStoreImpl(Config config,
            @Reference(target = "(" + GlobTier.TIER_NAME + "=configadmin)") GlobTier durable) {
        this(limitsFrom(config, Limits.DEFAULT));
        String data = System.getProperty("karaf.data");
        if (data != null && !data.isBlank()) {
            history = new GlobHistory(java.nio.file.Paths.get(data, "jsorc", "history"));
        }
        addTier(durable);
    }

    /**
     * The limits {@code config} asks for; {@code fallback} when they are not positive, refused on one line (an
     * operator's typo must neither stop the store nor be logged as its failure).
     */
    static Limits limitsFrom(Config config, Limits fallback) {
        long value = config.max_value_bytes();
        long manifest = config.max_manifest_bytes();
        if (value < 1 || manifest < 1) {
            LOG.warn("Refusing glob limits max.value.bytes={}, max.manifest.bytes={} in {}: both must be positive; "
                    + "keeping {} and {} bytes", value, manifest, PID, fallback.valueBytes(),
                    fallback.manifestBytes());
            return fallback;
        }
        return new Limits(value, manifest);
    }

    /** New limits from {@code etc/jsorc.globs.cfg}, without restarting the store (nor MetaService, which needs it). */
    @Modified
    void modified(Config config) {
        limits = limitsFrom(config, limits);
        LOG.info("Glob limits now {} bytes, manifests {} bytes", limits.valueBytes(), limits.manifestBytes());
    }

    /** Stops the event thread and every tier subscription (DS deactivate; the test kit's close). */
    @Deactivate
    public void close() {
        tiers.close();
        events.close();
        LOG.info("Glob store stopped");
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, target = "(!(" + GlobTier.TIER_NAME + "=configadmin))")
    public void addTier(GlobTier tier) {
        tiers.add(tier, change -> external.onChange(tier, change), replica);
    }

    public void removeTier(GlobTier tier) {
        tiers.remove(tier);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void addListener(GlobListener listener) {
        listeners.add(listener);
    }

    public void removeListener(GlobListener listener) {
        listeners.removeIf(bound -> bound == listener); // by identity: a listener's equals is not ours to trust
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setEventAdmin(EventAdmin admin) {
        this.eventAdmin = admin;
    }

    void unsetEventAdmin(EventAdmin admin) {
        if (this.eventAdmin == admin) {
            this.eventAdmin = null;
        }
    }

    /** The declared glob schemas (optional: without them nothing is checked beyond the glob rules). */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void setSchemas(Schemas schemas) {
        this.schemas = schemas;
    }

    public void unsetSchemas(Schemas schemas) {
        if (this.schemas == schemas) {
            this.schemas = null;
        }
    }

    @Override
    public Optional<GlobValue> get(String name) {
        GlobRules.checkName(name);
        return tiers.read(name).map(GlobStoreImpl::toValue);
    }

    @Override
    public long set(String name, String json, Long expectedRevision, Origin origin) {
        GlobRules.checkName(name);
        return write(name, checked(name, json), expectedRevision, origin);
    }

    /**
     * The canonical text of an edit of {@code name}: every rule of {@link #canonical}, and the glob's declared
     * schema when it has one. Values the store only reads (and the defaults {@code serviceGlob} writes) are not
     * held to a schema: a schema added to a service must not make its stored value unreadable.
     */
    String checked(String name, String json) {
        String text = canonical(name, json);
        Schemas now = schemas;
        if (now != null) {
            now.declared(name).ifPresent(schema -> SchemaCheck.check(schema, Json.parse(text)));
        }
        return text;
    }

    /** The canonical text of a value of {@code name}, after every rule (JSON, object where required, size). */
    String canonical(String name, String json) {
        Limits now = limits;
        now.checkRaw(name, json);
        String text = Json.write(GlobRules.parseValue(name, json));
        now.check(name, text);
        return text;
    }

    @Override
    public long setValue(String name, Object value, Long expectedRevision, Origin origin) {
        GlobRules.checkName(name);
        String json;
        try {
            json = Json.write(value);
        } catch (IllegalArgumentException e) {
            throw new GlobException(Reason.INVALID_VALUE, "Value of " + name + " is not a plain JSON value: "
                    + e.getMessage(), e);
        }
        // round trip so the stored text is exactly what a parse of it writes back
        return set(name, json, expectedRevision, origin);
    }

    /** How often a write without an expected revision is tried while other nodes' writes keep coming between. */
    private static final int LAST_WRITER_ATTEMPTS = 20;

    /** When the follower last had local copies and defaults retried (its thread only). */
    private long lastPendingRetry = System.nanoTime() - java.util.concurrent.TimeUnit.SECONDS.toNanos(2);

    /** How long a write waits for this node to finish shaking hands with the shared store (outside any lock). */
    private static final long SHARED_SYNC_WAIT_MS = 2000;

    private long write(String name, String canonical, Long expectedRevision, Origin origin) {
        java.util.Objects.requireNonNull(origin, "origin");
        if (!tiers.heldByCurrentThread(name)) {
            tiers.shared().ifPresent(shared -> shared.awaitInSync(SHARED_SYNC_WAIT_MS));
        }
        Tiers.Change change = new Tiers.Change(canonical, expectedRevision, origin);
        Object result;
        for (int attempt = 1; ; attempt++) {
            result = tiers.heldByCurrentThread(name)
                    ? commit(name, List.of(change)).get(0) // inside a tier call: never wait for a leader
                    : committers.computeIfAbsent(name, n -> new GroupCommit<>(batch -> commit(n, batch)))
                            .submit(change);
            // a write without an expected revision is last-writer-wins: another node's write that came between our
            // read of the shared store and our script is no refusal, we read again
            if (!(expectedRevision == null && result instanceof GlobException stale
                    && stale.reason() == Reason.STALE_REVISION && attempt < LAST_WRITER_ATTEMPTS)) {
                break;
            }
        }
        if (result instanceof Tiers.Written written) {
            return written.glob().revision();
        }
        // a batch's failure is every writer's: each gets its own exception (its own stack, its own suppressed list)
        if (result instanceof GlobException refused) {
            throw new GlobException(refused.reason(), refused.getMessage(), refused);
        }
        if (result instanceof Error error) {
            throw error;
        }
        RuntimeException failure = (RuntimeException) result;
        throw new IllegalStateException("Writing glob " + name + " failed: " + failure.getMessage(), failure);
    }

    /** How many writes of {@code name} wait for the next group commit (for tests). */
    int queuedWrites(String name) {
        GroupCommit<Tiers.Change> commit = committers.get(name);
        return commit == null ? 0 : commit.queued();
    }

    /**
     * Writes a batch of changes of one glob with one durable write ({@link Tiers#writeAll}) and publishes, under the
     * name's lock so events of one name leave in revision order, an event and an audit entry per accepted change.
     *
     * @return per change: its result, or the refusal it gets
     */
    private List<Object> commit(String name, List<Tiers.Change> batch) {
        return tiers.locked(name, () -> {
            List<Object> results = tiers.writeAll(name, batch);
            for (int i = 0; i < results.size(); i++) {
                if (results.get(i) instanceof Tiers.Written written) {
                    Origin origin = batch.get(i).origin();
                    keep(written.glob());
                    events.publish(new GlobEvent(name, written.oldRevision(), written.glob().revision(), origin,
                            written.glob().time()));
                    events.audit(AuditEntry.globSet(name, written.glob().revision(), Json.parse(written.glob().json()),
                            origin, written.glob().time()));
                }
            }
            return results;
        });
    }

    /** Adds a stored revision to the history now; its file is written on the event thread. */
    private void keep(StoredGlob glob) {
        GlobHistory kept = history;
        List<StoredGlob> snapshot = kept.add(glob);
        if (snapshot != null) {
            events.run(() -> kept.save(glob.name(), snapshot));
        }
    }

    /** An edit or delete made in a tier (a file, Config Admin) is published and audited like our own writes. */
    private void publishExternal(GlobEvent event) {
        events.publish(event);
        if (event.deleted()) {
            events.audit(new AuditEntry(AuditEntry.CONFIG_DELETE, event.name(), event.oldRevision(), event.origin(),
                    event.time(), null));
            return;
        }
        Object value;
        try {
            Optional<StoredGlob> stored = tiers.read(event.name());
            value = stored.map(glob -> Json.parse(glob.json())).orElse(null);
            stored.filter(glob -> glob.revision() == event.newRevision()).ifPresent(this::keep);
        } catch (RuntimeException unreadable) {
            value = null;
        }
        events.audit(AuditEntry.globSet(event.name(), event.newRevision(), value, event.origin(), event.time()));
    }

    @Override
    public long delete(String name, Long expectedRevision, Origin origin) {
        GlobRules.checkName(name);
        java.util.Objects.requireNonNull(origin, "origin");
        if (!tiers.heldByCurrentThread(name)) {
            tiers.shared().ifPresent(shared -> shared.awaitInSync(SHARED_SYNC_WAIT_MS));
        }
        for (int attempt = 1; ; attempt++) {
            try {
                return deleteOnce(name, expectedRevision, origin);
            } catch (GlobException e) {
                if (expectedRevision != null || e.reason() != Reason.STALE_REVISION
                        || attempt >= LAST_WRITER_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    private long deleteOnce(String name, Long expectedRevision, Origin origin) {
        return tiers.locked(name, () -> {
            long old = tiers.delete(name, expectedRevision, origin);
            if (old != 0) {
                Instant now = Instant.now();
                events.publish(new GlobEvent(name, old, 0, origin, now));
                events.audit(new AuditEntry(AuditEntry.CONFIG_DELETE, name, old, origin, now, null));
            }
            return old;
        });
    }

    @Override
    public boolean exists(String name) {
        return GlobRules.validName(name) && tiers.stored(name);
    }

    @Override
    public List<String> list() {
        return tiers.list();
    }

    @Override
    public Map<String, Object> serviceGlob(String name, Map<String, ?> defaults, Origin origin) {
        GlobRules.checkName(name);
        Origin byDefault = new Origin(origin.actor(), "default", origin.node());
        for (int attempt = 1; ; attempt++) {
            try {
                return serviceGlobOnce(name, defaults, byDefault);
            } catch (GlobException e) {
                if (e.reason() != Reason.STALE_REVISION || attempt >= 5) {
                    throw e;
                }
                LOG.debug("serviceGlob {}: concurrent write, retrying ({})", name, attempt);
                catchUp(name);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> serviceGlobOnce(String name, Map<String, ?> defaults, Origin origin) {
        Schemas known = schemas;
        if (known != null) {
            known.defaults(name, defaults);
        }
        Optional<GlobValue> current = get(name);
        if (current.isEmpty()) {
            String json = canonical(name, Json.write(defaults));
            try {
                write(name, json, ABSENT, origin);
                pendingDefaults.remove(name);
            } catch (GlobException e) {
                if (e.reason() != Reason.STORAGE || tiers.shared().isEmpty()) {
                    throw e;
                }
                // the shared store cannot take it now: the service starts on its defaults, stored once it can
                pendingDefaults.put(name, new Pending(json, origin));
                LOG.warn("{}: {} served from its defaults, unstored; stored when the shared store takes writes",
                        e.getMessage(), name);
            }
            return (Map<String, Object>) Json.parse(json);
        }
        if (!(current.get().value() instanceof Map)) {
            throw new GlobException(Reason.INVALID_VALUE,
                    "Value of " + name + " must be a JSON object to merge defaults into");
        }
        Map<String, Object> merged = (Map<String, Object>) current.get().value();
        if (DefaultsMerge.addMissing(merged, defaults)) {
            write(name, canonical(name, Json.write(merged)), current.get().revision(), origin);
        }
        return merged;
    }

    @Override
    public List<StoredGlob> history(String name) {
        GlobRules.checkName(name);
        Optional<io.jsorc.api.spi.SharedGlobTier> shared = tiers.shared();
        if (shared.isPresent()) {
            try {
                List<StoredGlob> kept = shared.get().history(name);
                if (!kept.isEmpty()) {
                    return kept;
                } // Redis lost it (restarted): this node's is better than nothing
            } catch (Exception e) {
                LOG.debug("The shared history of {} is not readable now; showing this node's", name, e);
            }
        }
        return history.of(name);
    }

    /**
     * A write of {@code name} found a newer revision in the shared store than this node holds (another node wrote it
     * and this node's follower has not applied it yet): it is applied now, so the retry reads it.
     */
    private void catchUp(String name) {
        Optional<io.jsorc.api.spi.SharedGlobTier> shared = tiers.shared();
        if (shared.isEmpty()) {
            return;
        }
        try {
            shared.get().get(name).ifPresent(replica::apply);
        } catch (Exception e) {
            LOG.debug("Could not read {} from the shared store to catch up", name, e);
        }
    }

    /** A revision another node committed, now stored here: kept in this node's history and audited. */
    private void applied(StoredGlob glob) {
        keep(glob);
        events.audit(AuditEntry.globSet(glob.name(), glob.revision(), Json.parse(glob.json()), glob.origin(),
                glob.time()));
    }

    /**
     * Called by the shared store's follower while it takes writes (about every second): local copies that failed are
     * written again, and the defaults served unstored meanwhile are stored (unless created elsewhere).
     */
    private void storePendingDefaults() {
        long now = System.nanoTime();
        if (now - lastPendingRetry < java.util.concurrent.TimeUnit.SECONDS.toNanos(1)) {
            return; // the follower calls after every batch: about once a second is enough
        }
        lastPendingRetry = now;
        tiers.retryLocalPending();
        for (Map.Entry<String, Pending> pending : Map.copyOf(pendingDefaults).entrySet()) {
            String name = pending.getKey();
            try {
                if (tiers.localRevision(name) == 0) {
                    write(name, pending.getValue().json(), ABSENT, pending.getValue().origin());
                }
                pendingDefaults.remove(name, pending.getValue());
            } catch (GlobException e) {
                if (e.reason() == Reason.STALE_REVISION) {
                    pendingDefaults.remove(name, pending.getValue()); // another node created it meanwhile
                } else {
                    LOG.warn("The defaults of {} are still unstored: {}", name, e.getMessage());
                }
            }
        }
    }

    @Override
    public String toJson(Object value) {
        try {
            return Json.write(value);
        } catch (IllegalArgumentException e) {
            throw new GlobException(Reason.INVALID_VALUE, e.getMessage(), e);
        }
    }

    @Override
    public Object parse(String json) {
        try {
            return Json.parse(json);
        } catch (IllegalArgumentException e) {
            throw new GlobException(Reason.INVALID_VALUE, "Not valid JSON: " + e.getMessage(), e);
        }
    }

    static GlobValue toValue(StoredGlob glob) {
        try {
            return new GlobValue(glob, Json.parse(glob.json()));
        } catch (IllegalArgumentException e) {
            throw new GlobException(Reason.INVALID_VALUE, "Stored value of " + glob.name()
                    + " (revision " + glob.revision() + ") is not valid JSON: " + e.getMessage(), e);
        }
    }

    /**
     * Whether revision {@code revision} of {@code name} was committed to the shared store while this node's local copy
     * of it failed (the node resyncs; reads here already see it).
     */
    public boolean localCopyPending(String name, long revision) {
        return tiers.localPending(name, revision);
    }

    /** For tests: whether the event thread was stopped. */
    boolean eventsStopped() {
        return events.isShutdown();
    }
}
