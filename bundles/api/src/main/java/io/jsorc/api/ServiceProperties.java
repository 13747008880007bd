package io.jsorc.api;

import java.util.Locale;

/**
 * Names of the OSGi service properties a {@link CommonService} component carries. Use these constants in
 * {@code @Component(property = ...)}; never spell the strings out.
 */
public final class ServiceProperties {

    /** The service name ({@code stripe}, {@code redis}, ...). Mandatory; {@code [A-Za-z0-9_]{1,100}}. */
    public static final String SERVICE_NAME = "jsorc.service.name";

    /** The config glob the service reads; default {@code <NAME>_CONFIG} (upper-cased name). */
    public static final String SERVICE_CONFIG = "jsorc.service.config";

    /** The manifest glob the service reads, if it has one ({@code <NAME>_MANIFEST} by convention). */
    public static final String SERVICE_MANIFEST = "jsorc.service.manifest";

    /**
     * Seconds (an integer, or a string of one) that {@code buildManifest}, {@code buildConfig}, {@code run} and
     * {@code postRun} may each take; past it the call is interrupted and abandoned ({@code run}, {@code postRun}: the
     * service FAILS; {@code buildManifest}, {@code buildConfig}: a settings error, the service stays disabled). Default
     * {@value #DEFAULT_START_TIMEOUT_SECONDS}; at least 1. Set it on the component:
     * {@code property = ServiceProperties.SERVICE_START_TIMEOUT + ":Integer=60"}. Read when the registration
     * arrives (changing it means redeploying the bundle).
     */
    public static final String SERVICE_START_TIMEOUT = "jsorc.service.start.timeout";

    public static final int DEFAULT_START_TIMEOUT_SECONDS = 30;

    /**
     * Seconds (an integer, or a string of one) that stopping the daemons (interrupt, stoppers, join: one deadline
     * for all of them), and separately {@code closeApp} and {@code onFailed}, may take; past it the thread is
     * abandoned (logged, shown in {@code service-info}). Default {@value #DEFAULT_STOP_TIMEOUT_SECONDS}; at least 1.
     * Set as {@link #SERVICE_START_TIMEOUT} is. A {@code bundle:stop} of the service's bundle is bounded by it too:
     * it returns once the service's instances are closed or abandoned.
     */
    public static final String SERVICE_STOP_TIMEOUT = "jsorc.service.stop.timeout";

    public static final int DEFAULT_STOP_TIMEOUT_SECONDS = 10;

    /** The glob MetaService itself reads. */
    public static final String META_CONFIG = "META_CONFIG";

    /**
     * The configuration PID of a glob is this prefix and its name ({@code jsorc.glob.STRIPE_CONFIG}). A service
     * declares the schema of its glob with an {@code @ObjectClassDefinition} whose id is that PID:
     * {@code @ObjectClassDefinition(id = ServiceProperties.GLOB_PID_PREFIX + "STRIPE_CONFIG")}.
     *
     * @since 1.2
     */
    public static final String GLOB_PID_PREFIX = "jsorc.glob.";

    /** The reserved name of the MetaService row. */
    public static final String META = "meta";

    private ServiceProperties() {
    }

    /** {@code stripe} → {@code STRIPE_CONFIG}. */
    public static String defaultConfigName(String serviceName) {
        return serviceName.toUpperCase(Locale.ROOT) + "_CONFIG";
    }
}
