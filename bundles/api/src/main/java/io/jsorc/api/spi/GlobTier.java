package io.jsorc.api.spi;

import io.jsorc.api.config.StoredGlob;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * One storage tier of the glob store (memory, Config Admin, Redis, ...). Registered as an OSGi service, the
 * store orders tiers by {@link #order()} (lowest first) and writes through every tier; the most durable tier
 * (highest order) is the truth. All methods must be thread-safe and atomic per name.
 */
@ConsumerType
public interface GlobTier {

    /** Service property naming the tier, e.g. {@code configadmin}. */
    String TIER_NAME = "jsorc.glob.tier";

    /** A short name for logs and {@code Origin.source}. */
    String name();

    /** Lower tiers are read first; the highest is the source of truth. */
    int order();

    Optional<StoredGlob> get(String name) throws Exception;

    /** Stores {@code glob} only when the name is absent; true when stored. */
    boolean putIfAbsent(StoredGlob glob) throws Exception;

    /** Replaces the value only when the stored revision equals {@code expectedRevision}; true when replaced. */
    boolean compareAndSet(String name, long expectedRevision, StoredGlob glob) throws Exception;

    /** Deletes only when the stored revision equals {@code expectedRevision}; true when deleted. */
    boolean delete(String name, long expectedRevision) throws Exception;

    /** The names stored in this tier. */
    List<String> list() throws Exception;

    /**
     * Calls {@code listener} with the new value (or an empty value with the name, for a delete) of every change
     * made to this tier by someone else than the store (another node, an operator's file edit). The returned
     * handle stops the subscription.
     */
    AutoCloseable subscribe(Consumer<TierChange> listener) throws Exception;

    /** A change seen in a tier: {@code glob} is null when the name was deleted. */
    record TierChange(String name, StoredGlob glob) {
    }
}
