package io.jsorc.globs.internal.glob;

import io.jsorc.api.config.GlobException;
import io.jsorc.api.config.Origin;
import io.jsorc.api.config.StoredGlob;
import io.jsorc.api.event.GlobEvent;
import io.jsorc.api.spi.GlobTier;
import io.jsorc.api.spi.SharedGlobTier;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node as a replica of the shared glob store: what another node committed is stored here as it is (same
 * revision, time and origin — never a new edit, never written back to the shared store), when newer than what this
 * node holds. Each applied change is published (event, history, audit) like a local write.
 *
 * <p>Thread-safety: called on the shared tier's follower thread; works under the store's per-name lock.
 */
final class SharedReplica implements SharedGlobTier.Replica {

    private static final Logger LOG = LoggerFactory.getLogger(SharedReplica.class);

    private final Tiers tiers;
    private final Consumer<StoredGlob> applied;
    private final Consumer<GlobEvent> publish;
    private final Runnable writable;

    SharedReplica(Tiers tiers, Consumer<StoredGlob> applied, Consumer<GlobEvent> publish, Runnable writable) {
        this.tiers = tiers;
        this.applied = applied;
        this.publish = publish;
        this.writable = writable;
    }

    @Override
    public List<StoredGlob> local() {
        List<StoredGlob> globs = new ArrayList<>();
        for (String name : tiers.list()) {
            try {
                tiers.read(name).ifPresent(globs::add);
            } catch (GlobException invalid) {
                LOG.warn("Not seeding {} into the shared store: {}", name, invalid.getMessage());
            }
        }
        return globs;
    }

    @Override
    public Map<String, Long> deleted() {
        return tiers.deletedNames();
    }

    @Override
    public boolean apply(StoredGlob glob) {
        String name = glob.name();
        if (!GlobRules.validName(name)) {
            LOG.error("The shared store holds a glob with an invalid name '{}'; ignored", name);
            return true;
        }
        return tiers.locked(name, () -> {
            // against what this node holds — its local copy, and what it last wrote or applied (newer when a local
            // copy failed): nothing goes backwards, and a local copy that is behind is written again
            Optional<StoredGlob> local = tiers.localCopy(name);
            Optional<StoredGlob> good = tiers.lastGood(name);
            long localRev = local.map(StoredGlob::revision).orElse(0L);
            long known = Math.max(localRev, good.map(StoredGlob::revision).orElse(0L));
            if (glob.revision() < known || glob.revision() <= tiers.deletedAt(name)) {
                return repair(name, local, good); // older than what this node holds, or deleted here at or after it
            }
            if (glob.revision() == known) {
                StoredGlob mine = good.filter(g -> g.revision() == known).orElseGet(() -> local.orElse(null));
                if (mine != null && mine.json().equals(glob.json())) {
                    return repair(name, local, good); // ours, or applied already
                }
                // two values under one revision (a node wrote while another had not given a restarted store back
                // yet): the shared store's wins everywhere, so every node converges on it
                LOG.warn("Glob {} revision {} differs between this node and the shared store; taking the shared "
                        + "store's ({})", name, glob.revision(), glob.origin());
            }
            return store(glob, known);
        });
    }

    /** This node's local copy is behind what it holds (a failed copy): written again, nothing published. */
    private boolean repair(String name, Optional<StoredGlob> local, Optional<StoredGlob> good) {
        if (good.isPresent() && local.map(StoredGlob::revision).orElse(0L) < good.get().revision()) {
            return tiers.copyDown(tiers.truth(), name, good.get());
        }
        return true;
    }

    @Override
    public boolean adopt(StoredGlob glob) {
        String name = glob.name();
        if (!GlobRules.validName(name)) {
            return true;
        }
        return tiers.locked(name, () -> {
            Optional<StoredGlob> mine = tiers.lastGood(name);
            Optional<StoredGlob> local = tiers.localCopy(name);
            if (mine.isPresent() && mine.get().revision() == glob.revision() && mine.get().json().equals(glob.json())
                    && local.map(StoredGlob::revision).orElse(0L) == glob.revision()) {
                return true;
            }
            return store(glob, Math.max(local.map(StoredGlob::revision).orElse(0L),
                    mine.map(StoredGlob::revision).orElse(0L)));
        });
    }

    /**
     * Stores a committed revision here as it is: readable at once, then in the local tiers, then published.
     *
     * @return whether the local copy took it
     */
    private boolean store(StoredGlob glob, long previous) {
        String name = glob.name();
        tiers.created(name);
        tiers.remember(glob); // committed in the shared store already: readers see it now, the local copy follows
        GlobTier shared = tiers.truth();
        boolean copied = tiers.copyDown(shared, name, glob);
        if (!copied) {
            LOG.warn("Glob {} revision {} from the shared store is read on this node but its local copy failed; "
                    + "it is written again later", name, glob.revision());
        }
        applied.accept(glob);
        publish.accept(new GlobEvent(name, previous, glob.revision(), glob.origin(), glob.time()));
        return copied;
    }

    @Override
    public boolean applyDelete(String name, long revision, Origin origin) {
        if (!GlobRules.validName(name)) {
            return true;
        }
        return tiers.locked(name, () -> {
            long local = Math.max(tiers.localCopy(name).map(StoredGlob::revision).orElse(0L),
                    tiers.lastGood(name).map(StoredGlob::revision).orElse(0L));
            if (local > revision) {
                return true; // this node holds a newer revision (created again after the delete)
            }
            tiers.removeBelow(tiers.truth(), name, revision);
            if (local > 0) {
                LOG.info("Glob {} was deleted by {} at revision {}", name, origin, revision);
                publish.accept(new GlobEvent(name, local, 0, origin, Instant.now()));
            }
            return tiers.localCopy(name).isEmpty();
        });
    }

    @Override
    public void writable() {
        writable.run();
    }
}
