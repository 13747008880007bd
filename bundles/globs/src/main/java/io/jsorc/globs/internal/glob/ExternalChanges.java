package io.jsorc.globs.internal.glob;

import io.jsorc.api.config.GlobException;
import io.jsorc.api.config.Origin;
import io.jsorc.api.config.StoredGlob;
import io.jsorc.api.event.GlobEvent;
import io.jsorc.api.spi.GlobTier;
import io.jsorc.api.spi.GlobTier.TierChange;
import java.time.Instant;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Values the store did not write itself: edits made in a tier behind its back (config:edit, the Web Console, an
 * etc/ file) and whatever it reads from the truth. Every such value is validated before it is used (name rules,
 * JSON, object where required, size). A valid edit becomes the next revision with the tier's origin. An invalid
 * value is refused: its last good copy is put back; when no good copy was ever known it is left as it is (never
 * deleted) and reads of it fail with a clear message until a valid value is written. A deletion deletes the glob.
 * Changes seen in a tier that is not the truth only evict the cached copy.
 *
 * <p>Thread-safety: works under the store's per-name lock and publishes events (an enqueue) while still holding
 * it, so events of one name stay in order.
 */
final class ExternalChanges {

    private static final Logger LOG = LoggerFactory.getLogger(ExternalChanges.class);

    private final Tiers tiers;
    private final Consumer<GlobEvent> publish;
    private final BiFunction<String, String, String> canonical;
    private final BiFunction<String, String, String> checked;
    private final Refused refused;
    /**
     * Per name, the text of the last edit refused when no good copy was known (it stays in the tier, never deleted):
     * a read finding that very text fails as invalid instead of adopting it. Checked against the schema only here,
     * because values merely read are not held to a schema (a schema added later must not make them unreadable).
     */
    private final java.util.Map<String, String> refusedInPlace = new java.util.concurrent.ConcurrentHashMap<>();

    /** Told of every refused edit, after it was undone (or left alone). */
    interface Refused {
        void refused(String name, Origin origin, String message);
    }

    /**
     * @param canonical the store's rules for any stored value: (name, json) → canonical text, or a
     *     {@link GlobException}
     * @param checked the same for an edit: also against the glob's declared schema
     */
    ExternalChanges(Tiers tiers, Consumer<GlobEvent> publish, BiFunction<String, String, String> canonical,
            BiFunction<String, String, String> checked, Refused refused) {
        this.tiers = tiers;
        this.publish = publish;
        this.canonical = canonical;
        this.checked = checked;
        this.refused = refused;
        tiers.adopter(this::adopt);
    }

    /**
     * A glob read from the truth, before anyone uses it (under its name's lock): returned when valid; when invalid,
     * its last good copy is put back and returned.
     *
     * @throws GlobException INVALID_VALUE or TOO_LARGE when it is invalid and no good copy is known
     */
    StoredGlob adopt(GlobTier truth, StoredGlob found) {
        try {
            canonical.apply(found.name(), found.json());
            if (found.json().equals(refusedInPlace.get(found.name()))) {
                checked.apply(found.name(), found.json()); // refused when it arrived: still refused
            }
            return found;
        } catch (GlobException e) {
            Optional<StoredGlob> good = tiers.lastGood(found.name());
            if (good.isPresent()) {
                restore(truth, found, good.get(), e.getMessage());
                return good.get();
            }
            throw new GlobException(e.reason(), "Stored value of " + found.name() + " (revision " + found.revision()
                    + ", from " + found.origin() + ") is invalid: " + e.getMessage()
                    + ". Write a valid value (jsorc:config-set) to replace it", e);
        }
    }

    void onChange(GlobTier tier, TierChange change) {
        String name = change.name();
        if (!GlobRules.validName(name)) {
            LOG.error("Glob tier {} holds a glob with an invalid name '{}'; ignored", tier.name(), name);
            return;
        }
        try {
            tiers.locked(name, () -> {
                GlobEvent event = apply(tier, change);
                if (event != null) {
                    publish.accept(event); // an enqueue: under the lock so one name's events stay in order
                }
                return null;
            });
        } catch (RuntimeException e) {
            LOG.error("Handling an outside change of glob {} in tier {} failed", name, tier.name(), e);
        }
    }

    private GlobEvent apply(GlobTier tier, TierChange change) {
        String name = change.name();
        if (tier != tiers.readSource()) {
            tiers.memory().evict(name);
            return null;
        }
        if (tier != tiers.truth()) {
            return applyShared(tier, tiers.truth(), change);
        }
        Optional<StoredGlob> previous = tiers.lastGood(name);
        StoredGlob edited = change.glob();
        if (edited == null) {
            tiers.removeBelow(tier, name, previous.map(StoredGlob::revision).orElse(0L));
            if (previous.isEmpty()) {
                return null;
            }
            LOG.info("Glob {} was deleted in {} (it was revision {})", name, tier.name(), previous.get().revision());
            return new GlobEvent(name, previous.get().revision(), 0, Origin.local("external", tier.name()),
                    Instant.now());
        }
        if (previous.isPresent() && previous.get().json().equals(edited.json())
                && previous.get().revision() == edited.revision()) {
            return null; // nothing new
        }
        String text;
        try {
            text = checked.apply(name, edited.json());
        } catch (GlobException e) {
            refuse(tier, edited, previous, e.getMessage());
            return null;
        }
        long prevRev = previous.map(StoredGlob::revision).orElse(0L);
        // a glob created from outside after a delete continues from the deleted revision too
        long rev = Math.max(Math.max(prevRev, tiers.createdAfter(name)), edited.revision()) + 1;
        StoredGlob next = new StoredGlob(name, text, rev, Instant.now(), edited.origin());
        if (!Tiers.call(() -> tier.compareAndSet(name, edited.revision(), next), "store the edit of " + name)) {
            LOG.warn("Glob {} changed again in {} while its edit was taken; the next change will be seen", name,
                    tier.name());
            tiers.memory().evict(name);
            return null;
        }
        tiers.created(name);
        tiers.copyDown(tier, name, next);
        LOG.info("Glob {} edited in {} by {}: now revision {}", name, tier.name(), edited.origin(), rev);
        return new GlobEvent(name, prevRev, rev, edited.origin(), next.time());
    }

    /**
     * An edit made in this node's local tier while a shared tier is the truth: it goes through the one write path, a
     * compare-and-set on the revision it was based on (the configuration's {@code jsorc.revision}; none: the revision
     * this node holds). Committed → stored locally as that revision. Lost the race, or the shared store cannot take
     * it → what the node held is put back, with a WARN and a refused-edit event (an operator's edit, not the
     * platform's failure).
     */
    private GlobEvent applyShared(GlobTier local, GlobTier shared, TierChange change) {
        String name = change.name();
        Optional<StoredGlob> previous = tiers.lastGood(name);
        long prevRev = previous.map(StoredGlob::revision).orElse(0L);
        StoredGlob edited = change.glob();
        if (edited == null) {
            if (previous.isEmpty()) {
                return null;
            }
            try {
                Origin deleter = Origin.local("operator", local.name());
                if (!Tiers.call(() -> shared instanceof io.jsorc.api.spi.SharedGlobTier tier
                        ? tier.delete(name, prevRev, deleter) : shared.delete(name, prevRev), "delete " + name)) {
                    throw GlobRules.stale(name, prevRev, -1);
                }
            } catch (GlobException e) {
                putBack(local, name, previous.get(), "its delete in " + local.name() + " was not taken: "
                        + e.getMessage(), Origin.local("operator", local.name()));
                return null;
            }
            tiers.removeBelow(shared, name, prevRev);
            LOG.info("Glob {} was deleted in {} (it was revision {})", name, local.name(), prevRev);
            return new GlobEvent(name, prevRev, 0, Origin.local("external", local.name()), Instant.now());
        }
        if (previous.isPresent() && previous.get().json().equals(edited.json())
                && previous.get().revision() == edited.revision()) {
            return null; // nothing new (our own copy)
        }
        String text;
        try {
            text = checked.apply(name, edited.json());
        } catch (GlobException e) {
            refuse(local, edited, previous, e.getMessage());
            return null;
        }
        long basedOn = edited.revision() > 0 ? edited.revision() : prevRev;
        StoredGlob next;
        try {
            long base = basedOn > 0 ? basedOn : tiers.createdAfter(name);
            next = new StoredGlob(name, text, base + 1, Instant.now(), edited.origin());
            boolean stored = Tiers.call(() -> basedOn == 0 ? shared.putIfAbsent(next)
                    : shared.compareAndSet(name, basedOn, next), "store the edit of " + name);
            if (!stored) {
                throw GlobRules.stale(name, basedOn, -1);
            }
        } catch (GlobException e) {
            if (previous.isPresent()) {
                putBack(local, name, previous.get(), "the edit made in " + local.name() + " by " + edited.origin()
                        + " was not taken: " + e.getMessage(), edited.origin());
            } else {
                tiers.memory().evict(name);
                LOG.warn("Glob {}: the edit made in {} by {} was not taken: {}", name, local.name(),
                        edited.origin(), e.getMessage());
                refused.refused(name, edited.origin(), e.getMessage());
            }
            return null;
        }
        tiers.created(name);
        tiers.copyDown(shared, name, next);
        LOG.info("Glob {} edited in {} by {}: now revision {}", name, local.name(), edited.origin(), next.revision());
        return new GlobEvent(name, prevRev, next.revision(), edited.origin(), next.time());
    }

    /** An outside change the shared store did not take: what this node held goes back into its local tier. */
    private void putBack(GlobTier local, String name, StoredGlob held, String why, Origin origin) {
        LOG.warn("Glob {}: {}. Restoring revision {}", name, why, held.revision());
        tiers.copyDown(null, name, held);
        refused.refused(name, origin, why + " (revision " + held.revision() + " restored)");
    }

    /** An invalid edit: the last good copy goes back; without one, the edit stays untouched (never a delete). */
    private void refuse(GlobTier tier, StoredGlob edited, Optional<StoredGlob> previous, String why) {
        String name = edited.name();
        tiers.memory().evict(name);
        // an operator's bad edit, not the platform's failure: WARN, and the JsOrc page shows it
        if (previous.isPresent()) {
            LOG.warn("Refused the edit of glob {} made in {} by {}: {}. Restoring revision {}", name, tier.name(),
                    edited.origin(), why, previous.get().revision());
            restore(tier, edited, previous.get(), why);
            refused.refused(name, edited.origin(), why + " (revision " + previous.get().revision() + " restored)");
        } else {
            // never deleted (an operator's file, a form's first save): it stays, and reads of it fail until a valid
            // value is written
            LOG.warn("Refused the edit of glob {} made in {} by {}: {}. No earlier valid value is known, so it is "
                    + "left as it is; reads of {} fail until a valid value is written", name, tier.name(),
                    edited.origin(), why, name);
            refusedInPlace.put(name, edited.json());
            refused.refused(name, edited.origin(), why + " (left as it is: no earlier valid value is known)");
        }
    }

    private void restore(GlobTier tier, StoredGlob bad, StoredGlob good, String why) {
        try {
            if (tier.compareAndSet(bad.name(), bad.revision(), good)) {
                tiers.copyDown(tier, bad.name(), good);
            } else {
                LOG.warn("Glob {} changed again in {} while revision {} was being restored; the next change will "
                        + "be seen", bad.name(), tier.name(), good.revision());
            }
        } catch (Exception e) {
            LOG.error("Could not restore revision {} of glob {} in {} (the stored value is invalid: {})",
                    good.revision(), bad.name(), tier.name(), why, e);
        }
    }
}
