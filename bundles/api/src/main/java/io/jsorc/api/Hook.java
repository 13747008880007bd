package io.jsorc.api;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * What a service sees of the platform: its config globs and the other services. Built by
 * {@link MetaService#buildHook()} (or the test kit). Values are plain {@code Map/List/String/Number/Boolean/null},
 * fresh copies the caller may change.
 *
 * <p>Thread-safety: every method is thread-safe.
 */
@ProviderType
public interface Hook {

    /**
     * The seed's {@code service_glob}: the stored object, with keys new in {@code defaults} added (recursively,
     * into objects only); absent → {@code defaults} stored once and returned.
     *
     * @throws io.jsorc.api.config.GlobException when the stored value is not an object, or the store refused
     */
    Map<String, Object> serviceGlob(String name, Map<String, ?> defaults);

    /** The stored value, or null when absent. */
    Object getGlob(String name);

    boolean hasGlob(String name);

    /** Stores {@code value} as JSON text (through the one write path). */
    void saveGlob(String name, Object value);

    /** Deletes the glob; false when it did not exist. */
    boolean destroyGlob(String name);

    /** Every stored glob name. */
    List<String> listGlobs();

    /**
     * The background instance of service {@code name}, to read (its app, state, config); for a service that does
     * not exist, a never-running proxy (never null). To start, reset or fail it, use {@link #meta()}.
     */
    CommonService<?> service(String name);

    /**
     * The app of service {@code name} when it is RUNNING and its app is a {@code type}: how one service uses
     * another's app without a blind cast. Empty otherwise (unknown, not running, another type).
     */
    <T> Optional<T> app(String name, Class<T> type);

    /** The MetaService that built this hook. */
    MetaService meta();
}
