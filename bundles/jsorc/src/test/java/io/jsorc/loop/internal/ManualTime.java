package io.jsorc.loop.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

/**
 * A clock that moves only when told and a scheduler on it: {@link #advance} runs what falls due, in order, on the
 * test's thread. No sleeps; ticks happen exactly when the loop says they should.
 */
final class ManualTime extends Clock implements Scheduler {

    private record Task(Instant due, long seq, Runnable body, boolean[] cancelled) {
    }

    private Instant now = Instant.parse("2026-11-30T12:00:00Z");
    private final List<Task> tasks = new ArrayList<>();
    private long seq;

    @Override
    public synchronized Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException();
    }

    @Override
    public synchronized Scheduled schedule(Runnable task, Duration delay) {
        boolean[] cancelled = {false};
        tasks.add(new Task(now.plus(delay), seq++, task, cancelled));
        return () -> {
            synchronized (ManualTime.this) {
                cancelled[0] = true;
            }
        };
    }

    @Override
    public <T> Future<T> submit(Callable<T> task) {
        try {
            return CompletableFuture.completedFuture(task.call());
        } catch (Exception e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Tasks scheduled and neither run nor cancelled. */
    synchronized List<Instant> pending() {
        return tasks.stream().filter(t -> !t.cancelled()[0]).map(Task::due).sorted().toList();
    }

    /** Moves the clock by {@code by}, running every task that falls due (at its due time), in order. */
    void advance(Duration by) {
        Instant end;
        synchronized (this) {
            end = now.plus(by);
        }
        while (true) {
            Task next;
            synchronized (this) {
                tasks.removeIf(t -> t.cancelled()[0]);
                next = tasks.stream().filter(t -> !t.due().isAfter(end))
                        .min(Comparator.comparing(Task::due).thenComparingLong(Task::seq)).orElse(null);
                if (next == null) {
                    now = end;
                    return;
                }
                tasks.remove(next);
                if (next.due().isAfter(now)) {
                    now = next.due();
                }
            }
            next.body().run();
        }
    }

    /** Moves the clock without running anything (time spent inside a tick). */
    synchronized void pass(Duration by) {
        now = now.plus(by);
    }
}
