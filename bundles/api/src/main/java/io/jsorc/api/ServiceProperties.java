package io.jsorc.api;

import java.util.Locale;

/**
 * Names of the OSGi service properties a {@link CommonService} component carries. Use these constants in
 * {@code @Component(property = ...)}; never spell the strings out.
 */
public final class ServiceProperties {

    /** The service name ({@code stripe}, {@code redis}, ...). Mandatory. */
    public static final String SERVICE_NAME = "jsorc.service.name";

    /** The config glob the service reads; default {@code <NAME>_CONFIG} (upper-cased name). */
    public static final String SERVICE_CONFIG = "jsorc.service.config";

    /** The manifest glob the service reads, if it has one ({@code <NAME>_MANIFEST} by convention). */
    public static final String SERVICE_MANIFEST = "jsorc.service.manifest";

    /** Seconds {@code run} may take before the service is marked FAILED; default 30. */
    public static final String SERVICE_START_TIMEOUT = "jsorc.service.start.timeout";

    public static final int DEFAULT_START_TIMEOUT_SECONDS = 30;

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
