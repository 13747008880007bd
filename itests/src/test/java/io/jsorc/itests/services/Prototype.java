package io.jsorc.itests.services;

import io.jsorc.api.CommonService;
import io.jsorc.api.ServiceProperties;
import java.util.Hashtable;
import java.util.function.Supplier;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.PrototypeServiceFactory;
import org.osgi.framework.ServiceRegistration;

/** Registers test services the way a prototype-scoped DS component does. */
public final class Prototype {

    private Prototype() {
    }

    public static ServiceRegistration<?> register(BundleContext context, String name, int ranking, int timeout,
            Supplier<CommonService<?>> factory) {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(ServiceProperties.SERVICE_NAME, name);
        properties.put(Constants.SERVICE_RANKING, ranking);
        properties.put(ServiceProperties.SERVICE_START_TIMEOUT, timeout);
        return context.registerService(CommonService.class.getName(), new PrototypeServiceFactory<Object>() {
            @Override
            public Object getService(Bundle bundle, ServiceRegistration<Object> registration) {
                return factory.get();
            }

            @Override
            public void ungetService(Bundle bundle, ServiceRegistration<Object> registration, Object service) {
                // MetaService closed it before handing it back
            }
        }, properties);
    }
}
