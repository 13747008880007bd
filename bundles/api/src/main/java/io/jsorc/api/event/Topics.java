package io.jsorc.api.event;

/**
 * EventAdmin topics mirroring the listeners. Service topics end with the new state
 * ({@code jsorc/service/RUNNING}); glob topics with {@code UPDATED} or {@code DELETED}. Event properties use the
 * record component names of {@link ServiceStateEvent} and {@link GlobEvent} (enum and origin values as strings,
 * {@code time} as epoch milliseconds).
 */
public final class Topics {

    public static final String SERVICE_PREFIX = "jsorc/service/";
    public static final String SERVICE_ALL = "jsorc/service/*";
    public static final String GLOB_UPDATED = "jsorc/glob/UPDATED";
    public static final String GLOB_DELETED = "jsorc/glob/DELETED";
    public static final String GLOB_ALL = "jsorc/glob/*";
    /**
     * An edit made behind the store's back (Web Console form, {@code config:edit}, an {@code etc/} file) that was
     * refused and undone: properties {@code name}, {@code message} (why, naming the field), {@code origin},
     * {@code origin.actor}, {@code origin.source}, {@code origin.node} and {@code time} (epoch milliseconds).
     *
     * @since 1.1
     */
    public static final String EDIT_REFUSED = "jsorc/edit/REFUSED";

    private Topics() {
    }
}
