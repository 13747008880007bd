package io.jsorc.meta.internal;

import io.jsorc.api.CommonService;
import java.util.function.Supplier;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * How {@code addServiceBuilder} makes a builder known: in OSGi, a prototype-scoped registration under the
 * owner's context (tracked like any other); in the test kit, straight into the table.
 */
public interface Registrar {

    /**
     * Registers {@code supplier} as service {@code name}.
     *
     * @throws IllegalArgumentException {@code <name> already exists!}
     */
    ServiceRegistration<?> register(BundleContext owner, String name, Supplier<? extends CommonService<?>> supplier);
}
