package io.jsorc.api.spi;

import io.jsorc.api.config.Origin;
import io.jsorc.api.config.StoredGlob;
import java.util.List;
import java.util.Map;
import org.osgi.annotation.versioning.ConsumerType;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A glob tier shared by several nodes (Redis). It is the truth for <em>writes</em> only: the store commits every
 * write there first ({@link #putIfAbsent}, {@link #compareAndSet}, {@link #delete}: one atomic step each, refused
 * with a {@link io.jsorc.api.config.GlobException} of reason {@code STORAGE} when the shared store cannot take it,
 * {@code STALE_REVISION} naming the current revision when the expected one is not current), then on this node's
 * local tiers. Reads never reach it: they are served from memory and the node's local tier, so services keep reading
 * while it is down. Changes committed by other nodes reach this node through {@link #follow}, applied as they are.
 * {@link #subscribe} is not used for a shared tier.
 */
@ConsumerType
public interface SharedGlobTier extends GlobTier {

    /**
     * Deletes {@code name} when its stored revision is {@code expectedRevision}, leaving a tombstone; {@code origin}
     * is who deleted it, as the other nodes are told.
     */
    boolean delete(String name, long expectedRevision, Origin origin) throws Exception;

    /** The revision at which {@code name} was deleted (its tombstone), or 0. */
    long tombstone(String name) throws Exception;

    /**
     * Starts following the shared store for this node: joining or seeding it, then every change other nodes commit,
     * given to {@code replica}. The returned handle stops following (and releases its connection and thread).
     */
    AutoCloseable follow(Replica replica) throws Exception;

    /**
     * Whether this node is in sync with the shared store (its writes are taken); while it is shaking hands with it,
     * waits up to {@code millis} for that. The store calls it before a write, holding no lock (the follower needs the
     * store's locks to finish).
     */
    boolean awaitInSync(long millis);

    /**
     * This node's local copy missed a change (its local write failed): read the whole store again soon, without
     * interrupting writes, and at the next start if this node stops first.
     */
    void resync();

    /**
     * One line for operators ({@code jsorc:status}): where the store is, whether this node is in sync with it (or why
     * not) and which nodes follow it.
     */
    String status();

    /** The revisions the shared store keeps of {@code name}, newest first (values as stored). */
    List<StoredGlob> history(String name) throws Exception;

    /**
     * The node side of {@link #follow}: implemented by the glob store. All methods are called on one thread. Those that
     * store answer whether this node's local copy now holds what they were given (false: it failed, the node must
     * read the store again later); they may throw when this node's local tier cannot be read.
     */
    @ProviderType
    interface Replica {

        /** This node's globs (its local tiers), to seed a shared store that has none of them. */
        List<StoredGlob> local();

        /** Names deleted on this node and the revision they had (kept as tombstones), to seed with. */
        Map<String, Long> deleted();

        /**
         * A revision committed by any node (or read back on a resync): stored on this node as it is — same revision,
         * time and origin, never a new edit — when newer than this node's; otherwise ignored.
         */
        boolean apply(StoredGlob glob);

        /** {@code name} was deleted at {@code revision} by {@code origin}: deleted here unless this node is newer. */
        boolean applyDelete(String name, long revision, Origin origin);

        /**
         * Joining a shared store this node did not follow before: its value replaces this node's whatever their
         * revisions (two nodes that ran independently never overwrite each other by revision number); a differing
         * local value is kept in the history with source {@code join}.
         */
        boolean adopt(StoredGlob glob);

        /** The shared store takes writes again (after joining, seeding or a resync). */
        void writable();
    }
}
