package io.jsorc.itests.embedded;

import java.lang.reflect.Constructor;
import java.util.Hashtable;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.PrototypeServiceFactory;
import org.osgi.framework.ServiceRegistration;

/**
 * The activator of a bundle built at test time that embeds its OWN copy of the io.jsorc.api classes (a common
 * packaging mistake) and registers a prototype-scoped service named {@code embedded} under that copy's
 * {@code io.jsorc.api.CommonService}. Uses reflection only, so it links against nothing of ours.
 */
public class EmbeddedApiActivator implements BundleActivator {

    @Override
    public void start(BundleContext context) throws Exception {
        Constructor<?> proxy = Class.forName("io.jsorc.api.ProxyService").getDeclaredConstructor(String.class);
        proxy.setAccessible(true);
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put("jsorc.service.name", "embedded");
        context.registerService("io.jsorc.api.CommonService", new PrototypeServiceFactory<Object>() {
            @Override
            public Object getService(Bundle bundle, ServiceRegistration<Object> registration) {
                try {
                    return proxy.newInstance("embedded");
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }

            @Override
            public void ungetService(Bundle bundle, ServiceRegistration<Object> registration, Object service) {
                // nothing to release
            }
        }, properties);
    }

    @Override
    public void stop(BundleContext context) {
        // the framework unregisters the service
    }
}
