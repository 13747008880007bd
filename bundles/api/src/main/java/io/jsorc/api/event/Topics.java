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

    private Topics() {
    }
}
