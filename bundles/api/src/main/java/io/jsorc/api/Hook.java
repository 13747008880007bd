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
 * <p>Thread-safety: every method is thread-safe and may be called from any thread: a service's {@code buildConfig},
 * {@code run} and {@code postRun}, its daemons, or code outside any service. The glob methods read and write through
 * the glob store (its in-memory cache, then Config Admin), so a write takes milliseconds; none waits for a service.
 * {@link #service} and {@link #app} never start a service, but when the other service has no instance yet they build
 * it (running its {@code buildManifest} and {@code buildConfig}, which may write its default glob) and wait for that,
 * bounded (at most 4 × its start timeout + 3 × its stop timeout + 5 s, as every wait on {@link MetaService}); so
 * don't let two services look each other up from {@code buildConfig}. A hook holds
 * no resource: keep it as long as you like.
 */
@ProviderType
public interface Hook {

    /**
     * The seed's {@code service_glob}: the stored object, with keys new in {@code defaults} added (recursively,
     * into objects only); absent → {@code defaults} stored once and returned.
     *
     * @param name the glob, e.g. {@code STRIPE_CONFIG}
     * @param defaults the service's defaults; a {@code LinkedHashMap} keeps its key order in the stored glob
     * @return a fresh copy of the merged object
     * @throws io.jsorc.api.config.GlobException when the stored value is not an object, or the store refused
     */
    Map<String, Object> serviceGlob(String name, Map<String, ?> defaults);

    /** The stored value, or null when absent. */
    Object getGlob(String name);

    boolean hasGlob(String name);

    /**
     * Stores {@code value} as JSON text (through the one write path: validated, size-limited, revisioned, with
     * events). Stores only: a service reads it at its next reset ({@code service_refresh}).
     *
     * @param name the glob
     * @param value plain {@code Map/List/String/Number/Boolean/null}
     * @throws io.jsorc.api.config.GlobException when the store refused it
     */
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
     * another's app without a blind cast. Empty otherwise (unknown, not running, another type). Ask each time you
     * need it rather than keeping it: the app is closed when that service resets, fails or goes away.
     *
     * <pre>{@code
     * hook.app("mail", MailClient.class).ifPresentOrElse(mail -> mail.send(note),
     *         () -> LOG.info("mail is not running; note not sent"));
     * }</pre>
     *
     * <p>{@code type} must be visible to your bundle (imported from the bundle that exports it); a class of the same
     * name loaded by another class loader is another type, and the answer is empty.
     *
     * @param name the service
     * @param type the app's expected type
     * @param <T> the app's expected type
     * @return the app, or empty
     */
    <T> Optional<T> app(String name, Class<T> type);

    /** The MetaService that built this hook. */
    MetaService meta();
}
