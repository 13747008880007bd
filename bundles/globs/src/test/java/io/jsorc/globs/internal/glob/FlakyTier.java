package io.jsorc.globs.internal.glob;

import io.jsorc.api.config.StoredGlob;
import io.jsorc.api.spi.GlobTier;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** A durable-tier stand-in: a memory tier that can be told to fail its writes and to report outside edits. */
class FlakyTier implements GlobTier {

    final MemoryTier data = new MemoryTier();
    final List<Consumer<TierChange>> subscribers = new CopyOnWriteArrayList<>();
    private final int order;
    volatile boolean failWrites;

    FlakyTier(int order) {
        this.order = order;
    }

    @Override
    public String name() {
        return "flaky" + order;
    }

    @Override
    public int order() {
        return order;
    }

    @Override
    public Optional<StoredGlob> get(String name) {
        return data.get(name);
    }

    @Override
    public boolean putIfAbsent(StoredGlob glob) throws IOException {
        fail();
        return data.putIfAbsent(glob);
    }

    @Override
    public boolean compareAndSet(String name, long expectedRevision, StoredGlob glob) throws IOException {
        fail();
        return data.compareAndSet(name, expectedRevision, glob);
    }

    @Override
    public boolean delete(String name, long expectedRevision) throws IOException {
        fail();
        return data.delete(name, expectedRevision);
    }

    @Override
    public List<String> list() {
        return data.list();
    }

    @Override
    public AutoCloseable subscribe(Consumer<TierChange> listener) {
        subscribers.add(listener);
        return () -> subscribers.remove(listener);
    }

    /** An operator's edit: stored as is, then announced. */
    void editBehindTheBack(StoredGlob glob) {
        if (glob.json() == null) {
            return;
        }
        data.put(glob);
        subscribers.forEach(s -> s.accept(new TierChange(glob.name(), glob)));
    }

    void deleteBehindTheBack(String name) {
        data.evict(name);
        subscribers.forEach(s -> s.accept(new TierChange(name, null)));
    }

    private void fail() throws IOException {
        if (failWrites) {
            throw new IOException("disk full");
        }
    }
}
