package io.jsorc.globs.internal.glob;

import io.jsorc.api.config.GlobException;
import io.jsorc.api.config.Origin;
import io.jsorc.api.config.StoredGlob;
import io.jsorc.api.event.GlobEvent;
import io.jsorc.api.spi.GlobTier;
import io.jsorc.api.spi.GlobTier.TierChange;
import io.jsorc.globs.internal.json.Json;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns an edit made in a tier behind the store's back (config:edit, the Web Console, an etc/ file) into a
 * revision: a valid edit is stored canonical as the next revision with the tier's origin; an invalid one is
 * refused with an ERROR and the previous good value is put back; a deletion deletes the glob. Changes seen in
 * a tier that is not the truth only evict the cached copy.
 *
 * <p>Thread-safety: called on the tier's own notification thread; works under the store's per-name lock and
 * publishes events (an enqueue) while still holding it, so events of one name stay in order.
 */
final class ExternalChanges {

    private static final Logger LOG = LoggerFactory.getLogger(ExternalChanges.class);

    private final Tiers tiers;
    private final Consumer<GlobEvent> publish;

    ExternalChanges(Tiers tiers, Consumer<GlobEvent> publish) {
        this.tiers = tiers;
        this.publish = publish;
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
        if (tier != tiers.truth()) {
            tiers.memory().evict(name);
            return null;
        }
        Optional<StoredGlob> previous = tiers.memory().get(name);
        StoredGlob edited = change.glob();
        if (edited == null) {
            tiers.removeBelow(tier, name);
            if (previous.isEmpty()) {
                return null;
            }
            LOG.info("Glob {} was deleted in {} (it was revision {})", name, tier.name(), previous.get().revision());
            return new GlobEvent(name, previous.get().revision(), 0,
                    Origin.local("external", tier.name()), Instant.now());
        }
        if (previous.isPresent() && previous.get().json().equals(edited.json())
                && previous.get().revision() == edited.revision()) {
            return null; // nothing new
        }
        String canonical;
        try {
            canonical = Json.write(GlobRules.parseValue(name, edited.json()));
        } catch (GlobException e) {
            refuse(tier, edited, previous, e.getMessage());
            return null;
        }
        long prevRev = previous.map(StoredGlob::revision).orElse(0L);
        long rev = Math.max(prevRev, edited.revision()) + 1;
        StoredGlob next = new StoredGlob(name, canonical, rev, Instant.now(), edited.origin());
        if (!Tiers.call(() -> tier.compareAndSet(name, edited.revision(), next), "store the edit of " + name)) {
            LOG.warn("Glob {} changed again in {} while its edit was taken; the next change will be seen", name,
                    tier.name());
            tiers.memory().evict(name);
            return null;
        }
        tiers.copyDown(tier, name, next);
        LOG.info("Glob {} edited in {} by {}: now revision {}", name, tier.name(), edited.origin(), rev);
        return new GlobEvent(name, prevRev, rev, edited.origin(), next.time());
    }

    private void refuse(GlobTier tier, StoredGlob edited, Optional<StoredGlob> previous, String why) {
        String name = edited.name();
        try {
            if (previous.isPresent()) {
                LOG.error("Refused the edit of glob {} made in {} by {}: {}. Restoring revision {}", name,
                        tier.name(), edited.origin(), why, previous.get().revision());
                tier.compareAndSet(name, edited.revision(), previous.get());
            } else {
                LOG.error("Refused the new glob {} made in {} by {}: {}. Removing it", name, tier.name(),
                        edited.origin(), why);
                tier.delete(name, edited.revision());
            }
        } catch (Exception e) {
            LOG.error("Could not undo the refused edit of glob {} in {}", name, tier.name(), e);
        }
    }
}
