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
     * Seconds (an integer) that {@code run}, {@code postRun} and the settings may each take before the service is
     * marked FAILED; default {@value #DEFAULT_START_TIMEOUT_SECONDS}.
     */
    public static final String SERVICE_START_TIMEOUT = "jsorc.service.start.timeout";

    public static final int DEFAULT_START_TIMEOUT_SECONDS = 30;

    /**
     * Seconds (an integer) that stopping the daemons, and separately {@code closeApp} and {@code onFailed}, may
     * take; past it the thread is abandoned (logged, shown in {@code service-info}); default
     * {@value #DEFAULT_STOP_TIMEOUT_SECONDS}.
     */
    public static final String SERVICE_STOP_TIMEOUT = "jsorc.service.stop.timeout";

    public static final int DEFAULT_STOP_TIMEOUT_SECONDS = 10;

    /** The glob MetaService itself reads. */
    public static final String META_CONFIG = "META_CONFIG";

    /** The reserved name of the MetaService row. */
    public static final String META = "meta";

    private ServiceProperties() {
    }

    /** {@code stripe} → {@code STRIPE_CONFIG}. */
    public static String defaultConfigName(String serviceName) {
        return serviceName.toUpperCase(Locale.ROOT) + "_CONFIG";
    }
}
