package io.jsorc.globs.internal.configadmin;

import io.jsorc.api.config.Origin;
import io.jsorc.api.config.StoredGlob;
import io.jsorc.api.spi.GlobTier;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.osgi.framework.FrameworkUtil;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.ConfigurationListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable glob tier: one Config Admin configuration per glob (PID {@code jsorc.glob.<NAME>}, location
 * {@code ?}), mirrored to {@code etc/jsorc.glob.<NAME>.cfg} as Karaf keeps its own configuration, so globs survive
 * a restart and {@code bin/karaf clean}. A write goes to the file first (fsync + atomic rename), then to Config
 * Admin; if Config Admin fails the file is put back. Edits made behind our back arrive as configuration events,
 * are queued and read on one worker thread ({@link Watcher}) and handed to subscribers as {@link TierChange}s. A
 * configuration carrying an older {@code jsorc.revision} than the one this tier last wrote is a stale echo (FileInstall
 * compared a file it read before our write with the configuration after it): the newer revision is written again.
 *
 * <p>Thread-safety: every method is thread-safe; the methods of one name are serialized by a per-name monitor.
 * Subscribers are called on the worker thread with no lock held.
 */
@Component(service = {GlobTier.class, ConfigurationListener.class}, immediate = true,
        property = GlobTier.TIER_NAME + "=" + ConfigAdminTier.NAME)
public final class ConfigAdminTier implements GlobTier, ConfigurationListener {

    private static final Logger LOG = LoggerFactory.getLogger(ConfigAdminTier.class);
    public static final String NAME = "configadmin";
    public static final int ORDER = 100;

    private final ConfigurationAdmin admin;
    private final Path etc;
    private final Map<String, Object> locks = new ConcurrentHashMap<>();
    /** What this tier last wrote or saw per name: a configuration that differs was edited behind our back. */
    private final Map<String, StoredGlob> known = new ConcurrentHashMap<>();
    /**
     * The last delete of a glob: its revision, and whether this store made it. A configuration coming back at that
     * revision or older is a stale echo after our delete, but an edit (a restored backup, which the watcher turns
     * into the next revision) after an operator's config:delete.
     */
    private record Deletion(long revision, boolean ours) {
    }

    private final Map<String, Deletion> deleted = new ConcurrentHashMap<>();
    private final List<Consumer<TierChange>> subscribers = new CopyOnWriteArrayList<>();
    private final Watcher watcher = new Watcher(this);

    /** Whether the watcher handled every configuration event so far (for tests). */
    boolean watcherIdle() {
        return watcher.idle();
    }
    private volatile org.osgi.service.event.EventAdmin eventAdmin;

    @Activate
    public ConfigAdminTier(@Reference ConfigurationAdmin admin) {
        this(admin, etcFromKaraf());
    }

    /** @param etc the directory for the .cfg files, or null for none (globs then live in Config Admin only) */
    public ConfigAdminTier(ConfigurationAdmin admin, Path etc) {
        this.admin = admin;
        this.etc = etc;
        if (etc == null) {
            LOG.warn("karaf.etc is not set: globs are kept in Config Admin only and do not survive a clean start");
        } else {
            LOG.info("Config Admin glob tier started, files in {}", etc);
        }
    }

    private static Path etcFromKaraf() {
        String dir = System.getProperty("karaf.etc");
        return dir == null || dir.isBlank() ? null : Paths.get(dir);
    }

    @org.osgi.service.component.annotations.Reference(
            cardinality = org.osgi.service.component.annotations.ReferenceCardinality.OPTIONAL,
            policy = org.osgi.service.component.annotations.ReferencePolicy.DYNAMIC,
            policyOption = org.osgi.service.component.annotations.ReferencePolicyOption.GREEDY)
    void setEventAdmin(org.osgi.service.event.EventAdmin admin) {
        this.eventAdmin = admin;
    }

    void unsetEventAdmin(org.osgi.service.event.EventAdmin admin) {
        if (this.eventAdmin == admin) {
            this.eventAdmin = null;
        }
    }

    @Deactivate
    public void deactivate() {
        watcher.close();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int order() {
        return ORDER;
    }

    private Object lock(String name) {
        return locks.computeIfAbsent(name, k -> new Object());
    }

    Path file(String name) {
        return etc == null ? null : etc.resolve(GlobConfig.pid(name) + ".cfg");
    }

    /**
     * What {@link #read} finds; a glob carrying a revision (one this store wrote, in this run or an earlier one) is
     * remembered as ours. One without (a configuration an operator created) is not: it is an edit the watcher turns
     * into a revision.
     */
    @Override
    public Optional<StoredGlob> get(String name) throws IOException {
        synchronized (lock(name)) {
            Optional<Found> found = find(name);
            // a form save not handled yet is not remembered as ours: the watcher must still see it as an edit
            found.filter(Found::revisioned).filter(f -> !f.formPending())
                    .ifPresent(f -> known.putIfAbsent(name, f.glob()));
            return found.map(Found::glob);
        }
    }

    /**
     * A glob as read, whether its configuration carried a revision, and whether it holds a typed form's save
     * (per-field properties) that the watcher has not turned into a revision yet.
     */
    private record Found(StoredGlob glob, boolean revisioned, boolean formPending) {

        Found(StoredGlob glob, boolean revisioned) {
            this(glob, revisioned, false);
        }
    }

    /**
     * Config Admin first; the file when Config Admin has nothing yet (FileInstall loads etc/ asynchronously). A stale
     * echo the watcher has not undone yet reads as what it replaced: our newer revision, or nothing for a glob we
     * deleted.
     */
    Optional<StoredGlob> read(String name) throws IOException {
        return find(name).map(Found::glob);
    }

    private Optional<Found> find(String name) throws IOException {
        Optional<Map<String, Object>> props = configProperties(name);
        if (props.isEmpty()) {
            Path f = file(name);
            if (f != null && Files.isRegularFile(f)) {
                props = Optional.of(CfgFile.decode(Files.readString(f, StandardCharsets.ISO_8859_1)));
            }
        }
        if (props.isEmpty()) {
            return Optional.empty();
        }
        StoredGlob found = GlobConfig.fromProperties(name, props.get(), externalOrigin(props.get()));
        if (!FormFields.of(props.get()).isEmpty()) {
            StoredGlob ours = known.get(name);
            if (ours == null) {
                // a form creating the glob: served as it is (checked as any read is), never taken for ours
                return Optional.of(new Found(found, props.get().containsKey(GlobConfig.REVISION), true));
            }
            if (!GlobConfig.sameRevision(ours, found)) {
                // a form save the watcher has not handled yet: until it is validated, reads get the last known glob
                return Optional.of(new Found(ours, true, true));
            }
        }
        if (!props.get().containsKey(GlobConfig.REVISION)) {
            return Optional.of(new Found(found, false));
        }
        StoredGlob ours = known.get(name);
        if (ours != null && found.revision() < ours.revision()) {
            return Optional.of(new Found(ours, true));
        }
        Deletion gone = deleted.get(name);
        if (ours != null || gone == null || found.revision() > gone.revision()) {
            return Optional.of(new Found(found, true));
        }
        return gone.ours() ? Optional.empty() : Optional.of(new Found(found, false));
    }

    Optional<Map<String, Object>> configProperties(String name) throws IOException {
        Configuration[] found;
        try {
            found = admin.listConfigurations("(service.pid=" + GlobConfig.pid(name) + ")");
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IOException(e);
        }
        if (found == null || found.length == 0 || found[0].getProperties() == null) {
            return Optional.empty();
        }
        return Optional.of(new HashMap<>(FrameworkUtil.asMap(found[0].getProperties())));
    }

    static Origin externalOrigin(Map<String, ?> props) {
        return Origin.local("operator", props.containsKey(GlobConfig.FILEINSTALL_FILENAME) ? "file" : NAME);
    }

    @Override
    public boolean putIfAbsent(StoredGlob glob) throws IOException {
        synchronized (lock(glob.name())) {
            if (read(glob.name()).isPresent()) {
                return false;
            }
            store(glob);
            return true;
        }
    }

    @Override
    public boolean compareAndSet(String name, long expectedRevision, StoredGlob glob) throws IOException {
        synchronized (lock(name)) {
            Optional<Found> found = find(name);
            Optional<StoredGlob> current = found.map(Found::glob);
            if (current.isEmpty() || current.get().revision() != expectedRevision || editedBehindOurBack(current.get())
                    || found.get().formPending()) {
                // a form save not handled yet is an edit too: the watcher takes it first (the writer gets a stale
                // refusal and reads again), so it is never overwritten unseen
                return false;
            }
            store(glob);
            return true;
        }
    }

    /**
     * True while an outside edit (same revision, other text) is waiting for the watcher to turn it into a revision:
     * a compare-and-set then fails as stale instead of silently overwriting the operator's edit.
     */
    private boolean editedBehindOurBack(StoredGlob current) {
        StoredGlob ours = known.get(current.name());
        return ours != null && !GlobConfig.sameRevision(ours, current);
    }

    private void store(StoredGlob glob) throws IOException {
        String name = glob.name();
        Path f = file(name);
        byte[] before = f != null && Files.isRegularFile(f) ? Files.readAllBytes(f) : null;
        StoredGlob wasKnown = known.put(name, glob); // before the event of our own update can arrive
        Deletion wasDeleted = deleted.remove(name);
        try {
            if (f != null) {
                CfgFile.writeAtomically(f, CfgFile.encode(header(name), GlobConfig.toProperties(glob)));
            }
            admin.getConfiguration(GlobConfig.pid(name), "?").update(GlobConfig.toDictionary(glob));
        } catch (IOException | RuntimeException e) {
            if (wasDeleted != null) {
                deleted.put(name, wasDeleted);
            }
            restore(name, wasKnown, f, before);
            throw e;
        }
    }

    private void restore(String name, StoredGlob wasKnown, Path f, byte[] before) {
        if (wasKnown == null) {
            known.remove(name);
        } else {
            known.put(name, wasKnown);
        }
        try {
            if (f != null && before != null) {
                CfgFile.writeAtomically(f, before); // the bytes as they were, whoever wrote them
            } else if (f != null) {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            LOG.error("Could not put back {} after a failed write of glob {}", f, name, e);
        }
    }

    @Override
    public boolean delete(String name, long expectedRevision) throws IOException {
        synchronized (lock(name)) {
            Optional<Found> read = find(name);
            Optional<StoredGlob> current = read.map(Found::glob);
            if (current.isEmpty() || current.get().revision() != expectedRevision || editedBehindOurBack(current.get())
                    || read.get().formPending()) {
                return false;
            }
            // Config Admin first: when it fails, the file (what survives `clean`) and our bookkeeping are untouched
            Configuration[] found = listConfigs("(service.pid=" + GlobConfig.pid(name) + ")");
            for (Configuration c : found) {
                c.delete();
            }
            Path f = file(name);
            try {
                if (f != null) {
                    Files.deleteIfExists(f);
                }
            } catch (IOException e) {
                // the file would bring the glob back at the next start: put Config Admin back, and refuse
                admin.getConfiguration(GlobConfig.pid(name), "?").update(GlobConfig.toDictionary(current.get()));
                throw e;
            }
            known.remove(name);
            deleted.put(name, new Deletion(current.get().revision(), true));
            return true;
        }
    }

    @Override
    public List<String> list() throws IOException {
        TreeSet<String> names = new TreeSet<>();
        for (Configuration c : listConfigs("(service.pid=" + GlobConfig.PID_PREFIX + "*)")) {
            String n = GlobConfig.name(c.getPid());
            if (n != null) {
                names.add(n);
            }
        }
        if (etc != null && Files.isDirectory(etc)) {
            try (var files = Files.list(etc)) {
                files.map(p -> p.getFileName().toString())
                        .filter(n -> n.startsWith(GlobConfig.PID_PREFIX) && n.endsWith(".cfg"))
                        .forEach(n -> names.add(n.substring(GlobConfig.PID_PREFIX.length(), n.length() - 4)));
            }
        }
        return new ArrayList<>(names);
    }

    private Configuration[] listConfigs(String filter) throws IOException {
        try {
            Configuration[] found = admin.listConfigurations(filter);
            return found == null ? new Configuration[0] : found;
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IOException(e);
        }
    }

    @Override
    public AutoCloseable subscribe(Consumer<TierChange> listener) {
        subscribers.add(listener);
        return () -> subscribers.remove(listener);
    }

    /** Only enqueues: Config Admin's event thread never waits for us. */
    @Override
    public void configurationEvent(ConfigurationEvent event) {
        String name = GlobConfig.name(event.getPid());
        if (name != null) {
            watcher.enqueue(name);
        }
    }

    /** On the worker: the change of {@code name} made by someone else, or null when it is our own echo. */
    TierChange detectChange(String name) throws IOException {
        synchronized (lock(name)) {
            Optional<Map<String, Object>> props = configProperties(name);
            StoredGlob before = known.get(name);
            if (props.isPresent() && before == null && staleAfterDelete(name, props.get())) {
                LOG.info("Glob {}: Config Admin got a deleted revision back ({}); a stale echo, deleted again", name,
                        externalOrigin(props.get()).source());
                for (Configuration c : listConfigs("(service.pid=" + GlobConfig.pid(name) + ")")) {
                    c.delete();
                }
                Path f = file(name);
                if (f != null) {
                    Files.deleteIfExists(f);
                }
                return null;
            }
            if (props.isEmpty()) {
                if (before == null) {
                    return null; // our own delete, or never seen
                }
                known.remove(name);
                deleted.put(name, new Deletion(before.revision(), false)); // the latest: what comes back follows it
                Path f = file(name);
                if (f != null) {
                    Files.deleteIfExists(f); // deleted by config:delete: the file must not bring it back
                }
                return new TierChange(name, null);
            }
            StoredGlob now = GlobConfig.fromProperties(name, props.get(), externalOrigin(props.get()));
            if (GlobConfig.sameRevision(before, now)) {
                if (!FormFields.of(props.get()).isEmpty()) {
                    // a form saved without a change: write json alone, so no field outlives the edit (a stale field
                    // would later be merged over an edit of json)
                    store(before);
                    return null;
                }
                repairFile(before);
                return null;
            }
            if (before != null && props.get().containsKey(GlobConfig.REVISION) && now.revision() < before.revision()
                    && !FormFields.of(props.get()).isEmpty()) {
                // a form (Web Console) or property edit made on an old read: refused, as optimistic concurrency
                // should; the newer revision stays
                String why = "it was made on revision " + now.revision() + ", but " + name + " is at revision "
                        + before.revision() + " (changed meanwhile); reload and edit again";
                LOG.warn("Refused the edit of glob {} made in {} by {}: {}. Revision {} stays", name, NAME,
                        externalOrigin(props.get()), why, before.revision());
                store(before);
                org.osgi.service.event.EventAdmin events = eventAdmin;
                if (events != null) {
                    events.postEvent(io.jsorc.globs.internal.glob.Refusals.event(name, externalOrigin(props.get()),
                            why + " (revision " + before.revision() + " stays)"));
                }
                return null;
            }
            if (before != null && props.get().containsKey(GlobConfig.REVISION) && now.revision() < before.revision()) {
                // a stale echo: FileInstall (or an editor working on an old read) wrote back what an older revision
                // of our file said, after we wrote a newer one; the acknowledged revision stays
                LOG.info("Glob {}: Config Admin got revision {} back ({}) after revision {} was written; "
                        + "a stale echo, revision {} stays", name, now.revision(), externalOrigin(props.get()).source(),
                        before.revision(), before.revision());
                store(before);
                return null;
            }
            StoredGlob edited = new StoredGlob(name, now.json(), now.revision(), now.time(),
                    externalOrigin(props.get()));
            known.put(name, edited);
            return new TierChange(name, edited);
        }
    }

    /** A configuration carrying the revision of a glob this tier deleted, or an older one. */
    private boolean staleAfterDelete(String name, Map<String, Object> props) {
        Deletion gone = deleted.get(name);
        return gone != null && gone.ours() && props.containsKey(GlobConfig.REVISION)
                && FormFields.of(props).isEmpty() // a form save is an operator's act, never an echo
                && GlobConfig.asLong(props.get(GlobConfig.REVISION), Long.MAX_VALUE) <= gone.revision();
    }

    /**
     * On the event of a configuration that holds what we wrote: makes sure the file does too. FileInstall writes a
     * configuration carrying its file name back into the file when it is updated; a stale echo can so land in the
     * file after our own write of the newer revision. Config Admin dispatches events in order, so by the time the
     * event of our write is handled here, any such write-back of an earlier event is done.
     */
    private void repairFile(StoredGlob ours) throws IOException {
        Path f = file(ours.name());
        if (f == null || !Files.isRegularFile(f)) {
            return;
        }
        StoredGlob there;
        try {
            there = GlobConfig.fromProperties(ours.name(),
                    CfgFile.decode(Files.readString(f, StandardCharsets.ISO_8859_1)), ours.origin());
        } catch (IOException e) {
            there = null; // not what we write: write it again
        }
        if (!GlobConfig.sameRevision(ours, there)) {
            LOG.info("Glob {}: {} did not hold revision {} as Config Admin does; the file is written again",
                    ours.name(), f, ours.revision());
            CfgFile.writeAtomically(f, CfgFile.encode(header(ours.name()), GlobConfig.toProperties(ours)));
        }
    }

    private static String header(String name) {
        return "JsOrc config glob " + name + " - written by JsOrc; an edit here becomes a new revision";
    }

    void deliver(TierChange change) {
        for (Consumer<TierChange> s : subscribers) {
            try {
                s.accept(change);
            } catch (RuntimeException e) {
                LOG.error("A subscriber of the Config Admin glob tier failed on {}", change.name(), e);
            }
        }
    }

    boolean watcherStopped() {
        return watcher.isStopped();
    }
}
