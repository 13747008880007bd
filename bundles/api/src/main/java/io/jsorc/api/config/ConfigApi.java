package io.jsorc.api.config;

import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The original framework's admin config API ({@code config_get/set/list/index/exists/delete}), the same for every
 * surface (console, HTTP, Web Console). {@code doCheck} limits names to {@link #configIndex()}; refused calls throw
 * {@link GlobException} whose message is the original's text where the original had one, and change nothing. As in
 * the original, {@code configSet} stores and restarts nothing: {@code MetaService.refresh} applies a change.
 *
 * <p>Thread-safety: every method is thread-safe.
 */
@ProviderType
public interface ConfigApi {

    /** The stored glob (its JSON text and revision, for an ETag), or empty when absent. */
    Optional<GlobValue> configGet(String name, boolean doCheck);

    /**
     * Stores {@code json}. The result's message is the original's {@code Config of '<name>' to '<json>' set!}
     * (the value abbreviated when long); its revision is the new one.
     *
     * @param expectedRevision null for any, else the revision the caller read (0 = must be absent)
     */
    ConfigResult configSet(String name, String json, boolean doCheck, Long expectedRevision, Origin origin);

    /**
     * {@code config_update}: sets one field of an object glob and stores it (the original's era D). The result is
     * {@link #configSet}'s. Sending {@link Secrets#MASK} for a secret field keeps the stored secret.
     *
     * @param fieldKey a key the stored object has
     * @param fieldValueJson the field's new value as JSON text
     * @param expectedRevision null for any (the field is set on the newest value), else the revision the caller read
     * @throws GlobException {@code Config <name> is not a dictionary. Uses config_set to set the value for this
     *         config.} when the stored value is not an object (or absent), {@code Field <key> does not exist in config
     *         <name>} for a missing key (both {@code INVALID_VALUE}), and as {@link #configSet}
     * @since 1.1
     */
    ConfigResult configUpdate(String name, String fieldKey, String fieldValueJson, boolean doCheck,
            Long expectedRevision, Origin origin);

    /** Stored names that are valid config names, sorted. */
    List<String> configList();

    /** Valid config names: every declared {@code jsorc.service.config} plus {@code META_CONFIG}, sorted. */
    List<String> configIndex();

    /** Whether the glob is stored (no name check, as the original). */
    boolean configExists(String name);

    /**
     * Deletes the glob. The result's message is the original's {@code <name> Deleted.}; its revision is the one
     * deleted (0 when nothing was stored).
     *
     * @param expectedRevision null for any, else the revision the caller read
     */
    ConfigResult configDelete(String name, boolean doCheck, Long expectedRevision, Origin origin);

    /**
     * The revisions of {@code name} this node keeps ({@link GlobStore#history}: at most 20, newest first), values
     * as stored (mask them to show them).
     *
     * @since 1.2
     */
    List<StoredGlob> configHistory(String name, boolean doCheck);

    /**
     * Writes the value of kept revision {@code revision} of {@code name} again, as a new revision (stores only, as
     * {@code configSet}), with compare-and-set on {@code expectedRevision} (null: the revision read now). Also brings
     * back a deleted glob.
     *
     * @return the message {@code Config of 'NAME' rolled back to revision R: now revision N} and the new revision
     * @throws GlobException INVALID_VALUE when that revision is not kept, or its value does not match the glob's
     *     schema any more; STALE_REVISION when the glob changed
     * @since 1.2
     */
    ConfigResult configRollback(String name, long revision, boolean doCheck, Long expectedRevision, Origin origin);
}
