package io.jsorc.itests.hang;

import java.util.Hashtable;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.PrototypeServiceFactory;
import org.osgi.framework.ServiceRegistration;

/**
 * Registers {@link HangingCloseService} as service {@code hang_<mode>} (prototype scope, stop timeout 2 s), the
 * mode coming from the bundle's {@code Hang-Mode} header.
 */
public class HangActivator implements BundleActivator {

    @Override
    public void start(BundleContext context) {
        String mode = context.getBundle().getHeaders().get("Hang-Mode");
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put("jsorc.service.name", "hang_" + mode);
        properties.put("jsorc.service.stop.timeout", 2);
        context.registerService("io.jsorc.api.CommonService", new PrototypeServiceFactory<Object>() {
            @Override
            public Object getService(Bundle bundle, ServiceRegistration<Object> registration) {
                return new HangingCloseService(mode);
            }

            @Override
            public void ungetService(Bundle bundle, ServiceRegistration<Object> registration, Object service) {
                // MetaService closed it before handing it back
            }
        }, properties);
    }

    @Override
    public void stop(BundleContext context) {
        // the framework unregisters the service
    }
}
