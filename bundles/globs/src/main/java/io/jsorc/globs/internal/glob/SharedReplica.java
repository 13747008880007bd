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
    public void apply(StoredGlob glob) {
        String name = glob.name();
        if (!GlobRules.validName(name)) {
            LOG.error("The shared store holds a glob with an invalid name '{}'; ignored", name);
            return;
        }
        tiers.locked(name, () -> {
            // against this node's local copy, not the cache: a copy that failed to be written is written again
            Optional<StoredGlob> local = tiers.localCopy(name);
            long localRev = local.map(StoredGlob::revision).orElse(0L);
            if (glob.revision() < localRev || glob.revision() <= tiers.deletedAt(name)) {
                return null; // older than what this node holds, or deleted here at or after it
            }
            if (glob.revision() == localRev) {
                if (local.get().json().equals(glob.json())) {
                    tiers.remember(local.get()); // ours, or applied already
                    return null;
                }
                // two values under one revision (a node wrote while another had not seeded a restarted store yet):
                // the shared store's wins everywhere, so every node converges on it
                LOG.warn("Glob {} revision {} differs between this node and the shared store; taking the shared "
                        + "store's ({})", name, glob.revision(), glob.origin());
            }
            store(glob, localRev);
            return null;
        });
    }

    @Override
    public void adopt(StoredGlob glob) {
        String name = glob.name();
        if (!GlobRules.validName(name)) {
            return;
        }
        tiers.locked(name, () -> {
            Optional<StoredGlob> mine = tiers.lastGood(name);
            if (mine.isPresent() && mine.get().revision() == glob.revision() && mine.get().json().equals(glob.json())) {
                return null;
            }
            store(glob, tiers.localCopy(name).map(StoredGlob::revision).orElse(0L));
            return null;
        });
    }

    /** Stores a committed revision here as it is: readable at once, then in the local tiers, then published. */
    private void store(StoredGlob glob, long local) {
        String name = glob.name();
        tiers.created(name);
        tiers.remember(glob); // committed in the shared store already: readers see it now, the local copy follows
        GlobTier shared = tiers.truth();
        if (!tiers.copyDown(shared, name, glob)) {
            LOG.warn("Glob {} revision {} from the shared store is cached on this node but its local copy failed",
                    name, glob.revision());
        }
        applied.accept(glob);
        publish.accept(new GlobEvent(name, local, glob.revision(), glob.origin(), glob.time()));
    }

    @Override
    public void applyDelete(String name, long revision, Origin origin) {
        if (!GlobRules.validName(name)) {
            return;
        }
        tiers.locked(name, () -> {
            long local = tiers.localCopy(name).map(StoredGlob::revision).orElse(0L);
            if (local > revision) {
                return null; // this node holds a newer revision (created again after the delete)
            }
            tiers.removeBelow(tiers.truth(), name, revision);
            if (local > 0) {
                LOG.info("Glob {} was deleted by {} at revision {}", name, origin, revision);
                publish.accept(new GlobEvent(name, local, 0, origin, Instant.now()));
            }
            return null;
        });
    }

    @Override
    public void writable() {
        writable.run();
    }
}
