package io.jsorc.meta.internal;

import io.jsorc.api.Hook;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens when registrations come, change and go: all on the service name's lane, in order. Arrivals and
 * ranking changes only enqueue; a departure waits (bounded) until the leaving registration's instances are closed and
 * handed back, so none of a stopping bundle's code runs after it stopped. The background instance always belongs to
 * the winner; a new background instance is started unless it is disabled or automation looks after it.
 *
 * <p>Thread-safety: thread-safe; every change of one name runs on that name's lane.
 */
final class Registry {

    private static final Logger LOG = LoggerFactory.getLogger(Registry.class);

    private final ServiceTable table;
    private final Supplier<Hook> hooks;
    private final Predicate<String> automationLooksAfter;
    private volatile boolean closed;

    Registry(ServiceTable table, Supplier<Hook> hooks, Predicate<String> automationLooksAfter) {
        this.table = table;
        this.hooks = hooks;
        this.automationLooksAfter = automationLooksAfter;
    }

    /** A registration arrived; returns at once. */
    void added(ServiceSource source) {
        table.onLaneLater(source.name(), () -> reconcile(source.name(), table.add(source)));
    }

    /** A registration arrived; returns once its arrival was handled (the test kit). */
    void addedAndWait(ServiceSource source) {
        table.onLane(source.name(), ServiceTable.laneBound(source), () -> {
            reconcile(source.name(), table.add(source));
            return null;
        });
    }

    /** The ranking of a registration changed: the winner is chosen again; returns at once. */
    void rankingChanged(ServiceSource source, int ranking) {
        table.onLaneLater(source.name(), () -> {
            source.ranking(ranking);
            ServiceTable.Slot slot = table.resort(source);
            if (slot != null) {
                reconcile(source.name(), slot);
            }
        });
    }

    /**
     * A registration left. Its instances are abandoned at once (their author code in flight is interrupted), then,
     * on the lane, closed and handed back; this returns when that is done, or after {@link #removalBound}. A fallback
     * takes over afterwards, without this call waiting for it.
     */
    void removed(ServiceSource source) {
        source.depart(); // from now on no instance of it runs author code, even one still being built
        String why = "its registration left (" + source.bundle() + ")";
        for (Instance instance : table.instancesOf(source)) {
            instance.retire(why);
        }
        try {
            table.onLane(source.name(), removalBound(source), () -> {
                ServiceTable.Slot slot = table.remove(source);
                if (slot != null && slot.background != null && slot.background.source() == source) {
                    slot.background = null;
                }
                table.retire(table.instancesOf(source), why);
                table.onLaneLater(source.name(), () -> {
                    ServiceTable.Slot now = table.slot(source.name());
                    if (now != null) {
                        reconcile(source.name(), now);
                    }
                    table.dropIfEmpty(source.name());
                });
                return null;
            });
            LOG.info("Service {} left ({})", source.name(), source.label());
        } catch (CancellationException e) { // a lane timeout too
            LOG.error("Service {} ({}) did not finish leaving: {}", source.name(), source.label(), e.getMessage());
        }
    }

    /** How long a departure may take: work queued ahead on the lane, then closing and handing back. */
    static Duration removalBound(ServiceSource source) {
        return source.startTimeout().plus(source.stopTimeout().multipliedBy(4)).plusSeconds(5);
    }

    /** {@code refresh("meta")}: the background instance of {@code name} is replaced by a new one (waits). */
    void rebuild(String name) {
        ServiceTable.Slot slot = table.slot(name);
        ServiceSource winner = slot == null ? null : slot.winner();
        if (winner == null) {
            return;
        }
        table.onLane(name, ServiceTable.laneBound(winner), () -> {
            Instance old = slot.background;
            if (old != null) {
                slot.background = null;
                table.retire(List.of(old), "META_CONFIG was refreshed");
            }
            reconcile(name, slot);
            return null;
        });
    }

    void close() {
        closed = true;
    }

    /** On the name's lane: makes the background instance belong to the winner, and starts a new one. */
    private void reconcile(String name, ServiceTable.Slot slot) {
        ServiceSource winner = slot.winner();
        Instance current = slot.background;
        if (current != null && current.source() == winner) {
            return;
        }
        if (current != null) {
            slot.background = null;
            table.retire(List.of(current), winner == null ? "its registration left"
                    : "replaced by " + winner.label());
            LOG.info("Service {}: {} replaced by {}", name, current.source().label(),
                    winner == null ? "nothing" : winner.label());
        }
        if (winner == null || closed) {
            return;
        }
        Hook hook = hooks.get();
        Instance fresh = table.create(winner, true, hook, created -> slot.background = created);
        if (fresh == null) {
            return;
        }
        if (fresh.service().isEnabled() && !automationLooksAfter.test(name)) {
            table.startLater(fresh, hook);
        }
    }
}
