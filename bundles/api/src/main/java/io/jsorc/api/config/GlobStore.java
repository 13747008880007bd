package io.jsorc.api.config;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The one write path for config globs. Every editor (console, HTTP, Web Console, a service's defaults, a file
 * edit picked up from Config Admin) ends in {@link #set}. A write is durable before it returns; when it fails,
 * nothing changed anywhere.
 *
 * <p>Names match {@code [A-Za-z0-9_]{1,100}}; values are JSON text of any type, except that {@code *_CONFIG}
 * and {@code *_MANIFEST} values must be objects. The canonical text of a value is limited in size (by default
 * 1 MiB, 8 MiB for {@code *_MANIFEST}; configurable); a larger one is refused with
 * {@link GlobException.Reason#TOO_LARGE}.
 *
 * <p>Thread-safety: every method is thread-safe; writes to one name are linearizable.
 */
@ProviderType
public interface GlobStore {

    /** Pass as {@code expectedRevision} to write whatever the stored revision is. */
    Long ANY_REVISION = null;

    /** Pass as {@code expectedRevision} to write only when the name is absent. */
    long ABSENT = 0L;

    /** The stored glob, or empty. */
    Optional<GlobValue> get(String name);

    /**
     * Stores JSON text and returns the new revision.
     *
     * @param expectedRevision {@link #ANY_REVISION}, {@link #ABSENT}, or the revision the caller read
     * @throws GlobException for a bad name or value, a stale revision, or a failed tier
     */
    long set(String name, String json, Long expectedRevision, Origin origin);

    /** Stores a plain value ({@code Map/List/String/Number/Boolean/null}) as JSON; as {@link #set}. */
    long setValue(String name, Object value, Long expectedRevision, Origin origin);

    /**
     * Deletes the glob.
     *
     * @return the revision it had, or 0 when it did not exist
     * @throws GlobException for a bad name, a stale revision, or a failed tier
     */
    long delete(String name, Long expectedRevision, Origin origin);

    boolean exists(String name);

    /** Every stored name, sorted. */
    List<String> list();

    /**
     * The seed's {@code service_glob}: absent everywhere → {@code defaults} is written once (origin {@code default})
     * and returned; present → the stored object with keys new in {@code defaults} added recursively into objects
     * (never into lists, never overwriting), written back once and only when something was added. Returns a fresh
     * mutable map.
     */
    Map<String, Object> serviceGlob(String name, Map<String, ?> defaults, Origin origin);

    /** The JSON text of a plain value, as this store writes it. */
    String toJson(Object value);

    /** Parses JSON text into a plain value; {@link GlobException} with reason INVALID_VALUE when it is not JSON. */
    Object parse(String json);

    /**
     * The last revisions of glob {@code name} this node has stored (at most 20, newest first): its value, when, who
     * and from where, whoever wrote it (every surface, a file edit, defaults). Values are as stored (not masked: mask
     * them to show them). A delete is not a revision; the revisions before it stay, so a deleted glob can be rolled
     * back by writing one of them again. Empty for a name never written here.
     *
     * @since 1.2
     */
    java.util.List<StoredGlob> history(String name);
}
