package io.jsorc.globs.internal.glob;

import io.jsorc.api.config.Origin;

import io.jsorc.api.config.GlobException;
import io.jsorc.api.config.GlobException.Reason;
import io.jsorc.api.config.StoredGlob;
import io.jsorc.api.spi.GlobTier;
import io.jsorc.api.spi.GlobTier.TierChange;
import io.jsorc.api.spi.SharedGlobTier;
import java.util.ArrayList;
import java.util.Comparator;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ordered tiers of the store (memory cache first, the truth last), the per-name locks that serialize every
 * write of one name across them, and the last good copy of every glob.
 *
 * <p>The last good copy is what this store last wrote, adopted or read and validated, per name; unlike the cache it
 * is never evicted nor cleared (only a delete forgets it), so a refused outside edit can always be undone.
 *
 * <p>Thread-safety: thread-safe. The tier list is replaced copy-on-write; a per-name {@link ReentrantLock} is
 * held around tier calls of that name only. No listener is called here.
 */
final class Tiers implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Tiers.class);

    /** The result of a write: the previous revision (0 when created) and what was stored. */
    record Written(long oldRevision, StoredGlob glob) {
    }

    /** Checks a glob read from the truth before anyone uses it (see {@link ExternalChanges#adopt}). */
    interface Adopter {
        StoredGlob adopt(GlobTier truth, StoredGlob found);
    }

    private final MemoryTier memory = new MemoryTier();
    private final Map<String, StoredGlob> lastGood = new ConcurrentHashMap<>();
    private final Map<GlobTier, AutoCloseable> subscriptions = new ConcurrentHashMap<>();
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();
    /**
     * The revision each glob deleted here had, until it is written again: a re-created glob continues from it, so
     * no revision number of a name is used twice and a stale echo from before the delete (FileInstall writing an old
     * read back) is recognised by its revision, as any other stale echo.
     */
    private final Map<String, Long> deletedAt = new ConcurrentHashMap<>();
    /** With a shared store: the revision of each glob committed there whose local copy failed, until one is written. */
    private final Map<String, Long> localPending = new ConcurrentHashMap<>();
    private volatile java.util.function.ToLongFunction<String> floor = name -> 0L;
    private volatile List<GlobTier> durable = List.of();
    private volatile Adopter adopter = (truth, found) -> found;

    void adopter(Adopter checks) {
        this.adopter = checks;
    }

    MemoryTier memory() {
        return memory;
    }

    /**
     * Adds a tier. A {@link SharedGlobTier} becomes the truth for writes only (reads stay local) and is followed with
     * {@code replica}; any other tier is subscribed to with {@code onChange}.
     */
    synchronized void add(GlobTier tier, Consumer<TierChange> onChange, SharedGlobTier.Replica replica) {
        List<GlobTier> next = new ArrayList<>(durable);
        next.add(tier);
        next.sort(Comparator.comparingInt(GlobTier::order));
        durable = List.copyOf(next);
        memory.clear(); // the truth may have changed: re-read through
        warm();
        try {
            subscriptions.put(tier, tier instanceof SharedGlobTier shared ? shared.follow(replica)
                    : tier.subscribe(onChange));
        } catch (Exception e) {
            LOG.error("Glob tier {} refused a subscription: edits made in it will not be seen", tier.name(), e);
        }
        LOG.info("Glob tier {} (order {}) added; truth is {}", tier.name(), tier.order(), truth().name());
    }

    synchronized void remove(GlobTier tier) {
        closeQuietly(tier, subscriptions.remove(tier)); // first: a follower applies nothing once it is not the truth
        List<GlobTier> next = new ArrayList<>(durable);
        next.remove(tier);
        durable = List.copyOf(next);
        memory.clear();
        warm();
        LOG.info("Glob tier {} removed; truth is {}", tier.name(), truth().name());
    }

    /** Reads every local glob through the adopter: valid ones are cached and remembered as last good. */
    private void warm() {
        GlobTier truth = readSource();
        List<String> names;
        try {
            names = truth.list();
        } catch (Exception e) {
            LOG.warn("Could not list the globs of tier {}", truth.name(), e);
            return;
        }
        for (String name : names) {
            if (!GlobRules.validName(name)) {
                continue;
            }
            try {
                read(name);
            } catch (GlobException e) {
                LOG.error("{}", e.getMessage());
            }
        }
    }

    /** Where writes are committed first: the highest tier (the shared one when there is one). */
    GlobTier truth() {
        List<GlobTier> d = durable;
        return d.isEmpty() ? memory : d.get(d.size() - 1);
    }

    /** Where reads are served from after the cache: the highest tier of this node, never a shared one. */
    GlobTier readSource() {
        List<GlobTier> d = durable;
        for (int i = d.size() - 1; i >= 0; i--) {
            if (!(d.get(i) instanceof SharedGlobTier)) {
                return d.get(i);
            }
        }
        return memory;
    }

    /** The shared tier, when one is bound. */
    Optional<SharedGlobTier> shared() {
        return truth() instanceof SharedGlobTier shared ? Optional.of(shared) : Optional.empty();
    }

    /** What this node's local tier holds of {@code name} (not the cache), or empty. */
    Optional<StoredGlob> localCopy(String name) {
        return call(() -> readSource().get(name), "read " + name);
    }

    /** The revision this node holds of {@code name} (cache, else its local tier), or 0. */
    long localRevision(String name) {
        Optional<StoredGlob> cached = memory.get(name);
        if (cached.isPresent()) {
            return cached.get().revision();
        }
        return call(() -> readSource().get(name), "read " + name).map(StoredGlob::revision).orElse(0L);
    }

    /** Runs {@code body} holding the lock of {@code name}. */
    <T> T locked(String name, Supplier<T> body) {
        ReentrantLock lock = locks.computeIfAbsent(name, k -> new ReentrantLock());
        lock.lock();
        try {
            return body.get();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The glob, from the cache or else the truth; a value read from the truth is adopted first (validated; an
     * invalid one is replaced by its last good copy, or refused). A glob created from outside after a delete, at a
     * revision not past the deleted one, is served but neither cached nor remembered until the watcher has turned it
     * into the next revision.
     *
     * @throws GlobException INVALID_VALUE when the truth holds an invalid value and no good copy is known
     */
    Optional<StoredGlob> read(String name) {
        Optional<StoredGlob> cached = memory.get(name);
        if (cached.isPresent()) {
            return cached;
        }
        return locked(name, () -> {
            Optional<StoredGlob> again = memory.get(name);
            if (again.isPresent()) {
                return again;
            }
            GlobTier truth = readSource();
            Optional<StoredGlob> found = call(() -> truth.get(name), "read " + name);
            if (found.isEmpty()) {
                return found;
            }
            StoredGlob adopted = adopter.adopt(truth, found.get());
            if (adopted.revision() > deletedAt(name)) {
                remember(adopted);
            } // else created from outside after a delete, not yet renumbered past it: the watcher's change does
            return Optional.of(adopted);
        });
    }

    /** Whether the truth holds the name, valid or not. */
    boolean stored(String name) {
        return memory.get(name).isPresent() || call(() -> readSource().get(name), "read " + name).isPresent();
    }

    /** One write of a batch: its text, the revision it expects (null: any), who makes it. */
    record Change(String canonical, Long expected, Origin origin) {
    }

    /**
     * Group commit: the changes of one glob, applied in order to the state they find (each compare-and-set checked
     * against the revision the changes before it leave), then the newest accepted value written to the truth once —
     * one durable write for the whole batch — then to the lower tiers and the cache. A later revision holds the
     * earlier ones of the batch, so none acknowledged is lost; none is visible (the cache is written last) before
     * it is durable.
     *
     * @return per change, in order: its result (the previous revision and what it stored) or why it was refused; when
     *         the durable write itself fails, every accepted change gets that failure and nothing changed
     */
    List<Object> writeAll(String name, List<Change> changes) {
        return locked(name, () -> {
            GlobTier truth = truth();
            Optional<StoredGlob> current = call(() -> truth.get(name), "read " + name);
            long storedRev = current.map(StoredGlob::revision).orElse(0L);
            long rev = storedRev;                               // what a compare-and-set is checked against
            long base = current.isPresent() ? storedRev : createdAfter(name);   // what a new revision follows
            List<Object> results = new ArrayList<>();
            StoredGlob last = null;
            for (Change change : changes) {
                if (change.expected() != null && change.expected() != rev) {
                    results.add(GlobRules.stale(name, change.expected(), rev));
                    continue;
                }
                StoredGlob glob = new StoredGlob(name, change.canonical(), base + 1, Instant.now(), change.origin());
                results.add(new Written(last == null ? storedRev : last.revision(), glob));
                last = glob;
                rev = base = glob.revision();
            }
            if (last == null) {
                return results;
            }
            StoredGlob newest = last;
            try {
                boolean stored = call(() -> current.isEmpty() ? truth.putIfAbsent(newest)
                        : truth.compareAndSet(name, storedRev, newest), "write " + name);
                if (!stored) {
                    throw GlobRules.stale(name, storedRev, -1);
                }
            } catch (GlobException e) {
                // the first accepted change and every one after it were judged against revisions that now never
                // existed: they all fail as the write did (the refusals before it were judged against the truth)
                for (int i = firstAccepted(results); i < results.size(); i++) {
                    results.set(i, e);
                }
                return results;
            }
            created(name);
            if (!copyDown(truth, name, newest) && truth instanceof SharedGlobTier shared) {
                // committed (never reported as refused): the copy is written again about every second, and the node
                // reads the store again (also at its next start, should it stop first)
                LOG.warn("Glob {} revision {} is committed to the shared store; this node's local copy is pending",
                        name, newest.revision());
                shared.resync();
            }
            return results;
        });
    }

    private static int firstAccepted(List<Object> results) {
        for (int i = 0; i < results.size(); i++) {
            if (results.get(i) instanceof Written) {
                return i;
            }
        }
        return results.size();
    }

    /** Whether this thread holds the lock of {@code name} (a write from inside a tier call must not queue). */
    boolean heldByCurrentThread(String name) {
        ReentrantLock lock = locks.get(name);
        return lock != null && lock.isHeldByCurrentThread();
    }

    /** Below what a new glob of a name may not be numbered (its kept history): the store sets it. */
    void revisionFloor(java.util.function.ToLongFunction<String> floor) {
        this.floor = floor;
    }

    /** The revision {@code name} had when it was deleted here, until it is written again; else 0. */
    long deletedAt(String name) {
        return deletedAt.getOrDefault(name, 0L);
    }

    /**
     * What a new glob of {@code name} follows: its last deleted revision, the newest its history keeps, or the shared
     * store's tombstone of it.
     */
    long createdAfter(String name) {
        long local = Math.max(deletedAt(name), floor.applyAsLong(name));
        Optional<SharedGlobTier> shared = shared();
        return shared.isEmpty() ? local
                : Math.max(local, call(() -> shared.get().tombstone(name), "read the tombstone of " + name));
    }

    /** The names deleted on this node (since it started) and the revision each had. */
    Map<String, Long> deletedNames() {
        return Map.copyOf(deletedAt);
    }

    /** {@code name} holds a glob again: a later write continues from its own revision. */
    void created(String name) {
        deletedAt.remove(name);
    }

    /** What {@code truth} holds for {@code name}, when it is at the {@code expected} revision (null: any). */
    private static Optional<StoredGlob> expect(GlobTier truth, String name, Long expected) {
        Optional<StoredGlob> current = call(() -> truth.get(name), "read " + name);
        long currentRev = current.map(StoredGlob::revision).orElse(0L);
        if (expected != null && expected != currentRev) {
            throw GlobRules.stale(name, expected, currentRev);
        }
        return current;
    }

    /** Deletes from the truth then everywhere; the deleted revision, or 0 when it did not exist. */
    long delete(String name, Long expected, Origin origin) {
        return locked(name, () -> {
            GlobTier truth = truth();
            Optional<StoredGlob> current = expect(truth, name, expected);
            long currentRev = current.map(StoredGlob::revision).orElse(0L);
            if (current.isEmpty()) {
                forget(name);
                return 0L;
            }
            if (!call(() -> truth instanceof SharedGlobTier shared ? shared.delete(name, currentRev, origin)
                    : truth.delete(name, currentRev), "delete " + name)) {
                throw GlobRules.stale(name, currentRev, -1);
            }
            removeBelow(truth, name, currentRev);
            return currentRev;
        });
    }

    /**
     * Puts {@code glob} into every local tier but {@code truth} (never into a shared one: that is written by the write
     * path only); a tier that fails is evicted instead.
     *
     * @return false when a local tier failed to take it (it is still cached and remembered)
     */
    boolean copyDown(GlobTier truth, String name, StoredGlob glob) {
        boolean all = true;
        for (GlobTier tier : durable) {
            if (tier == truth || tier instanceof SharedGlobTier) {
                continue;
            }
            try {
                Optional<StoredGlob> old = tier.get(name);
                boolean ok = old.isEmpty() ? tier.putIfAbsent(glob)
                        : tier.compareAndSet(name, old.get().revision(), glob);
                if (!ok) {
                    all = false;
                    tier.get(name).ifPresent(o -> evict(tier, name, o.revision()));
                }
            } catch (Exception e) {
                all = false;
                LOG.warn("Glob tier {} failed to take {} revision {}; evicting it there", tier.name(), name,
                        glob.revision(), e);
                evict(tier, name, -1);
            }
        }
        remember(glob);
        if (all) {
            localPending.computeIfPresent(name, (k, pending) -> glob.revision() >= pending ? null : pending);
        } else if (truth() instanceof SharedGlobTier) {
            localPending.merge(name, glob.revision(), Math::max);
        }
        return all;
    }

    /** Writes again the local copies that failed (committed to the shared store; still the newest known here). */
    void retryLocalPending() {
        for (String name : List.copyOf(localPending.keySet())) {
            locked(name, () -> {
                Optional<StoredGlob> newest = lastGood(name);
                if (newest.isPresent() && localPending.containsKey(name)
                        && newest.get().revision() >= localPending.get(name)) {
                    copyDown(truth(), name, newest.get());
                } else {
                    localPending.remove(name); // deleted or replaced meanwhile: nothing pending any more
                }
                return null;
            });
        }
    }

    /** Whether revision {@code revision} of {@code name} is committed to the shared store but not in the local copy. */
    boolean localPending(String name, long revision) {
        Long pending = localPending.get(name);
        return pending != null && pending >= revision;
    }

    /**
     * The glob was deleted in the truth: gone from every lower tier, the cache and the last good copies; a later write
     * of the name continues from {@code revision} (when known, else 0).
     */
    void removeBelow(GlobTier truth, String name, long revision) {
        if (revision > 0) {
            deletedAt.merge(name, revision, Math::max);
        }
        for (GlobTier tier : durable) {
            if (tier != truth && !(tier instanceof SharedGlobTier)) {
                evict(tier, name, -1);
            }
        }
        forget(name);
    }

    /** A valid glob this store now holds: cached and remembered as the last good copy. */
    void remember(StoredGlob glob) {
        memory.put(glob);
        lastGood.put(glob.name(), glob);
    }

    /** The last good copy of {@code name}, or empty. */
    Optional<StoredGlob> lastGood(String name) {
        return Optional.ofNullable(lastGood.get(name));
    }

    private void forget(String name) {
        memory.evict(name);
        lastGood.remove(name);
    }

    private static void evict(GlobTier tier, String name, long revision) {
        try {
            long rev = revision >= 0 ? revision : tier.get(name).map(StoredGlob::revision).orElse(0L);
            if (rev > 0) {
                tier.delete(name, rev);
            }
        } catch (Exception e) {
            LOG.warn("Glob tier {} failed to evict {}: it may serve a stale value", tier.name(), name, e);
        }
    }

    List<String> list() {
        List<String> names = call(() -> readSource().list(), "list");
        return new ArrayList<>(new TreeSet<>(names));
    }

    /** Calls a tier; any failure becomes a STORAGE refusal (the caller has changed nothing yet). */
    static <T> T call(TierCall<T> call, String what) {
        try {
            return call.run();
        } catch (GlobException e) {
            throw e;
        } catch (Exception e) {
            throw new GlobException(Reason.STORAGE, "Glob storage failed to " + what + ": " + e, e);
        }
    }

    @FunctionalInterface
    interface TierCall<T> {
        T run() throws Exception;
    }

    @Override
    public synchronized void close() {
        subscriptions.forEach(Tiers::closeQuietly);
        subscriptions.clear();
    }

    private static void closeQuietly(GlobTier tier, AutoCloseable handle) {
        if (handle != null) {
            try {
                handle.close();
            } catch (Exception e) {
                LOG.warn("Closing the subscription to glob tier {} failed", tier.name(), e);
            }
        }
    }
}
