package io.jsorc.redis;

import io.jsorc.api.config.StoredGlob;
import io.jsorc.api.spi.GlobTier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** A node's local durable tier (Config Admin's place) for tests: a map that survives its store, and outside edits. */
final class LocalTier implements GlobTier {

    final Map<String, StoredGlob> data = new ConcurrentHashMap<>();
    private final List<Consumer<TierChange>> subscribers = new CopyOnWriteArrayList<>();
    /** Makes every write fail, as a Config Admin that cannot save. */
    volatile boolean failWrites;
    /** A glob this tier cannot read (a broken file), or null. */
    volatile String failReadOf;

    @Override
    public String name() {
        return "local";
    }

    @Override
    public int order() {
        return 100;
    }

    @Override
    public Optional<StoredGlob> get(String name) throws java.io.IOException {
        if (name.equals(failReadOf)) {
            throw new java.io.IOException("cannot read " + name + " (test)");
        }
        return Optional.ofNullable(data.get(name));
    }

    @Override
    public boolean putIfAbsent(StoredGlob glob) throws java.io.IOException {
        fail();
        return data.putIfAbsent(glob.name(), glob) == null;
    }

    @Override
    public synchronized boolean compareAndSet(String name, long expectedRevision, StoredGlob glob)
            throws java.io.IOException {
        fail();
        StoredGlob old = data.get(name);
        if (old == null || old.revision() != expectedRevision) {
            return false;
        }
        data.put(name, glob);
        return true;
    }

    @Override
    public synchronized boolean delete(String name, long expectedRevision) {
        StoredGlob old = data.get(name);
        return old != null && old.revision() == expectedRevision && data.remove(name, old);
    }

    private void fail() throws java.io.IOException {
        if (failWrites) {
            throw new java.io.IOException("the local tier fails its writes (test)");
        }
    }

    @Override
    public List<String> list() {
        return new ArrayList<>(data.keySet());
    }

    @Override
    public AutoCloseable subscribe(Consumer<TierChange> listener) {
        subscribers.add(listener);
        return () -> subscribers.remove(listener);
    }

    /** An operator's edit (an etc/ file, config:edit): stored as it is, then announced. */
    void editBehindTheBack(StoredGlob glob) {
        data.put(glob.name(), glob);
        subscribers.forEach(s -> s.accept(new TierChange(glob.name(), glob)));
    }
}
