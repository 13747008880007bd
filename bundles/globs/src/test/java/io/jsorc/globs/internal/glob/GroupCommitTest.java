package io.jsorc.globs.internal.glob;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jsorc.api.config.GlobException;
import io.jsorc.api.config.Origin;
import io.jsorc.api.config.StoredGlob;
import io.jsorc.api.event.GlobEvent;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Group commit: concurrent writers of one glob share a durable write; each still gets its own revision. */
class GroupCommitTest {

    static final Origin ME = new Origin("t", "test", "n");

    @Test
    void callersArrivingDuringACommitShareTheNextOneAndEachGetsItsOwnResult() throws Exception {
        CountDownLatch firstInCommit = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<List<Integer>> batches = new CopyOnWriteArrayList<>();
        GroupCommit<Integer> commit = new GroupCommit<>(batch -> {
            batches.add(List.copyOf(batch));
            if (batches.size() == 1) {
                firstInCommit.countDown();
                waitFor(release);
            }
            List<Object> results = new ArrayList<>();
            batch.forEach(i -> results.add(i * 10));
            return results;
        });
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            Future<Object> first = pool.submit(() -> commit.submit(1));
            assertTrue(firstInCommit.await(10, TimeUnit.SECONDS));
            List<Future<Object>> later = new ArrayList<>();
            for (int i = 2; i <= 4; i++) {
                int item = i;
                later.add(pool.submit(() -> commit.submit(item)));
            }
            await("three callers queued").until(() -> queued(commit) == 3);
            release.countDown();
            assertEquals(10, first.get(10, TimeUnit.SECONDS));
            for (int i = 0; i < 3; i++) {
                assertEquals((i + 2) * 10, later.get(i).get(10, TimeUnit.SECONDS));
            }
            assertEquals(2, batches.size(), "one commit for the first, one for the three that waited: " + batches);
            assertEquals(3, batches.get(1).size());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aFailedBatchFailsItsCallersOnlyAndAnInterruptedWaiterStillLearnsItsOutcome() throws Exception {
        RuntimeException boom = new IllegalStateException("disk gone");
        AtomicInteger calls = new AtomicInteger();
        List<Boolean> interruptedInCommit = new CopyOnWriteArrayList<>();
        GroupCommit<Integer> commit = new GroupCommit<>(batch -> {
            interruptedInCommit.add(Thread.currentThread().isInterrupted());
            if (calls.incrementAndGet() == 1) {
                throw boom;
            }
            return new ArrayList<>(batch);
        });
        assertSame(boom, commit.submit(1));
        Thread.currentThread().interrupt();
        try {
            assertEquals(2, commit.submit(2), "the next batch commits");
            assertTrue(Thread.interrupted(), "the caller's interrupt status is kept");
            assertEquals(List.of(false, false), interruptedInCommit,
                    "the batch is written without the leader's interrupt (interruptible channels would close on it)");
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void aBatchIsJudgedAsIfItsWritesRanOneAfterTheOtherAndFailsFromItsFirstAcceptedWriteOn() {
        FlakyTier truth = new FlakyTier(100);
        Tiers tiers = new Tiers();
        tiers.add(truth, change -> { }, null);
        // created, deleted: the next write continues from the deleted revision
        assertTrue(tiers.writeAll("G", List.of(new Tiers.Change("1", 0L, ME))).get(0) instanceof Tiers.Written);
        tiers.delete("G", 1L, ME);
        List<Object> batch = tiers.writeAll("G", List.of(new Tiers.Change("2", 0L, ME),
                new Tiers.Change("3", 0L, ME), new Tiers.Change("4", 2L, ME), new Tiers.Change("5", 1L, ME)));
        assertEquals(2L, ((Tiers.Written) batch.get(0)).glob().revision(), "after a delete at 1: revision 2");
        assertEquals(0L, ((Tiers.Written) batch.get(0)).oldRevision());
        assertTrue(batch.get(1) instanceof GlobException, "a second 'must be absent' in the batch is stale: " + batch);
        assertEquals(3L, ((Tiers.Written) batch.get(2)).glob().revision(), "expected 2, which the first one made");
        assertEquals(2L, ((Tiers.Written) batch.get(2)).oldRevision());
        assertTrue(batch.get(3) instanceof GlobException);
        assertEquals("4", truth.get("G").orElseThrow().json(), "only the newest was written durably");

        truth.failWrites = true;
        List<Object> failed = tiers.writeAll("G", List.of(new Tiers.Change("6", 1L, ME),
                new Tiers.Change("7", null, ME), new Tiers.Change("8", 3L, ME)));
        GlobException stale = (GlobException) failed.get(0);
        assertEquals(GlobException.Reason.STALE_REVISION, stale.reason(), "judged against the truth: stale");
        GlobException storage = (GlobException) failed.get(1);
        assertEquals(GlobException.Reason.STORAGE, storage.reason());
        assertSame(storage, failed.get(2), "judged against a revision that never existed: fails as the write did, "
                + "not as stale");
        assertEquals(3L, truth.get("G").orElseThrow().revision(), "nothing changed");
    }

    /** Writers of one glob while its durable tier is slow: one durable write per batch, every revision published. */
    @Test
    void concurrentWritersOfOneGlobShareDurableWritesAndEveryRevisionIsPublishedInOrder() throws Exception {
        CountDownLatch inFirstWrite = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger durableWrites = new AtomicInteger();
        FlakyTier slow = new FlakyTier(100) {
            @Override
            public boolean putIfAbsent(StoredGlob glob) throws IOException {
                durableWrites.incrementAndGet();
                inFirstWrite.countDown();
                waitFor(release);
                return super.putIfAbsent(glob);
            }

            @Override
            public boolean compareAndSet(String name, long expectedRevision, StoredGlob glob) throws IOException {
                durableWrites.incrementAndGet();
                return super.compareAndSet(name, expectedRevision, glob);
            }
        };
        GlobStoreImpl store = new GlobStoreImpl();
        List<GlobEvent> events = new CopyOnWriteArrayList<>();
        store.addTier(slow);
        store.addListener(events::add);
        ExecutorService pool = Executors.newFixedThreadPool(5);
        try {
            Future<Long> first = pool.submit(() -> store.set("G", "{\"n\":0}", 0L, ME));
            assertTrue(inFirstWrite.await(10, TimeUnit.SECONDS));
            Map<Integer, Future<Long>> later = new ConcurrentHashMap<>();
            for (int i = 1; i <= 3; i++) {
                int n = i;
                later.put(n, pool.submit(() -> store.set("G", "{\"n\":" + n + "}", null, ME)));
            }
            // two writers that both read revision 1: only one of them may win
            Future<Long> casA = pool.submit(() -> store.set("G", "{\"cas\":\"a\"}", 1L, ME));
            await("five writers waiting").until(() -> queued(store, "G") == 4);
            release.countDown();
            assertEquals(1L, first.get(10, TimeUnit.SECONDS));
            List<Long> revisions = new ArrayList<>(List.of(1L));
            for (Future<Long> f : later.values()) {
                revisions.add(f.get(10, TimeUnit.SECONDS));
            }
            Object cas;
            try {
                cas = casA.get(10, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                cas = e.getCause();
            }
            if (cas instanceof Long won) {
                revisions.add(won);
            } else {
                assertTrue(cas instanceof GlobException stale && stale.reason() == GlobException.Reason.STALE_REVISION,
                        String.valueOf(cas));
            }
            revisions.sort(null);
            List<Long> expected = new ArrayList<>();
            for (long r = 1; r <= revisions.size(); r++) {
                expected.add(r);
            }
            assertEquals(expected, revisions, "each accepted writer has its own revision, none skipped");
            assertEquals(2, durableWrites.get(), "one durable write for the first, one for the writers that waited");
            assertEquals(revisions.size(), store.get("G").orElseThrow().revision());
            await("every revision published").until(() -> events.size() == revisions.size());
            for (int i = 0; i < events.size(); i++) {
                assertEquals(i, events.get(i).oldRevision());
                assertEquals(i + 1, events.get(i).newRevision(), "in revision order: " + events);
            }
        } finally {
            pool.shutdownNow();
            store.close();
        }
    }

    private static void waitFor(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("not released within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int queued(GroupCommit<?> commit) {
        return commit.queued();
    }

    private static int queued(GlobStoreImpl store, String name) {
        return store.queuedWrites(name);
    }
}
