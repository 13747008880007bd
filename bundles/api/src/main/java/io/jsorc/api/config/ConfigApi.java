package io.jsorc.api.config;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The original framework's admin config API ({@code config_get/set/list/index/exists/delete}), the same for
 * every surface (console, HTTP, Web Console). {@code doCheck} limits names to {@link #configIndex()}; refused
 * calls throw {@link GlobException} whose message is the original's text. As in the original, {@code configSet}
 * stores and restarts nothing: {@code MetaService.refresh} applies a change.
 *
 * <p>Thread-safety: every method is thread-safe.
 */
@ProviderType
public interface ConfigApi {

    /** The stored JSON text, or null when absent. */
    String configGet(String name, boolean doCheck);

    /**
     * Stores {@code json}; returns {@code Config of '<name>' to '<json>' set!}.
     *
     * @param expectedRevision null for any, else the revision the caller read (0 = must be absent)
     */
    String configSet(String name, String json, boolean doCheck, Long expectedRevision, Origin origin);

    /** Stored names that are valid config names. */
    List<String> configList();

    /** Valid config names: every declared {@code jsorc.service.config} plus {@code META_CONFIG}, sorted. */
    List<String> configIndex();

    /** Whether the glob is stored (no name check, as the original). */
    boolean configExists(String name);

    /** Deletes the glob; returns {@code <name> Deleted.} */
    String configDelete(String name, boolean doCheck, Origin origin);
}
