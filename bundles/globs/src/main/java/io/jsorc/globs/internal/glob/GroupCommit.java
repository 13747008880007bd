package io.jsorc.globs.internal.glob;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Group commit of one glob's writes: callers {@link #submit} a change and wait for its result; one of them, the
 * leader, hands every change queued so far to the committer as one batch (one durable write for all of them) and
 * hands each caller its own result. A caller alone commits at once, as before; callers that arrive while a batch is
 * being made durable are committed together in the next one.
 *
 * <p>Thread-safety: {@link #submit} from any thread. The committer is called by one thread at a time. A waiting caller
 * is not interruptible (its change may already be durable: it must learn the outcome); its interrupt status is kept.
 *
 * @param <C> a change
 */
final class GroupCommit<C> {

    private static final class Slot<C> {
        final C change;
        Object result;
        boolean done;

        Slot(C change) {
            this.change = change;
        }
    }

    private final Function<List<C>, List<Object>> committer;
    private final List<Slot<C>> queue = new ArrayList<>();
    private boolean leading;

    /** @param committer commits a batch, returning one result per change, in order */
    GroupCommit(Function<List<C>, List<Object>> committer) {
        this.committer = committer;
    }

    /** How many changes wait for the next batch (for tests). */
    synchronized int queued() {
        return queue.size();
    }

    /**
     * Commits {@code change} (with whatever else is queued) and returns its result: what the committer returned for
     * it, or the exception the whole batch failed with.
     */
    Object submit(C change) {
        Slot<C> mine = new Slot<>(change);
        boolean interrupted = false;
        List<Slot<C>> batch;
        try {
            synchronized (this) {
                queue.add(mine);
                while (!mine.done && leading) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
                if (mine.done) {
                    return mine.result;
                }
                batch = new ArrayList<>(queue);
                queue.clear();
                leading = true;
            }
            List<Object> results = null;
            Throwable failed = null;
            // the batch is everyone's: an interrupt of this caller must not fail the others' durable write
            // (interruptible file channels would close on it); it is restored when the batch is done
            interrupted |= Thread.interrupted();
            try {
                List<C> changes = new ArrayList<>(batch.size());
                batch.forEach(slot -> changes.add(slot.change));
                results = committer.apply(changes);
            } catch (RuntimeException | Error e) {
                failed = e;
            } finally {
                synchronized (this) {
                    for (int i = 0; i < batch.size(); i++) {
                        batch.get(i).result = results != null && i < results.size() ? results.get(i)
                                : failed != null ? failed : new IllegalStateException("no result for a change");
                        batch.get(i).done = true;
                    }
                    leading = false;
                    notifyAll();
                }
            }
            return mine.result;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
