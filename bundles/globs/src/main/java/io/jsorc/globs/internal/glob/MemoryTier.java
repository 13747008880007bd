package io.jsorc.globs.internal.glob;

import io.jsorc.api.config.StoredGlob;
import io.jsorc.api.spi.GlobTier;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Consumer;

/**
 * The process-wide memory cache tier (lowest order). It is the truth only while no other tier is registered.
 *
 * <p>Thread-safety: every method is atomic per name (backed by a {@link ConcurrentMap}).
 */
public final class MemoryTier implements GlobTier {

    public static final String NAME = "memory";

    private final ConcurrentMap<String, StoredGlob> globs = new ConcurrentHashMap<>();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int order() {
        return Integer.MIN_VALUE;
    }

    @Override
    public Optional<StoredGlob> get(String name) {
        return Optional.ofNullable(globs.get(name));
    }

    @Override
    public boolean putIfAbsent(StoredGlob glob) {
        return globs.putIfAbsent(glob.name(), glob) == null;
    }

    @Override
    public boolean compareAndSet(String name, long expectedRevision, StoredGlob glob) {
        boolean[] done = {false};
        globs.computeIfPresent(name, (k, old) -> {
            if (old.revision() != expectedRevision) {
                return old;
            }
            done[0] = true;
            return glob;
        });
        return done[0];
    }

    @Override
    public boolean delete(String name, long expectedRevision) {
        boolean[] done = {false};
        globs.computeIfPresent(name, (k, old) -> {
            if (old.revision() != expectedRevision) {
                return old;
            }
            done[0] = true;
            return null;
        });
        return done[0];
    }

    @Override
    public List<String> list() {
        return new ArrayList<>(globs.keySet());
    }

    /** Nobody else writes this tier: nothing to subscribe to. */
    @Override
    public AutoCloseable subscribe(Consumer<TierChange> listener) {
        return () -> { };
    }

    /** Sets the cached copy whatever its revision (the store calls this under its per-name lock). */
    void put(StoredGlob glob) {
        globs.put(glob.name(), glob);
    }

    void evict(String name) {
        globs.remove(name);
    }

    void clear() {
        globs.clear();
    }
}
