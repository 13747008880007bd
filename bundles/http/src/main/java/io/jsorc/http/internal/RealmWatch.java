package io.jsorc.http.internal;

import java.util.Dictionary;
import java.util.Hashtable;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceListener;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.ConfigurationListener;

/**
 * Calls {@code changed} whenever a Karaf JAAS realm is registered, modified or unregistered, and whenever a
 * {@code org.apache.karaf.jaas*} configuration changes: remembered logins must not outlive the realm that granted
 * them. No import of Karaf's JAAS packages is needed (the realm is matched by its interface name).
 *
 * <p>Thread-safety: {@link #close} may be called once from any thread.
 */
final class RealmWatch implements AutoCloseable {

    static final String REALM = "org.apache.karaf.jaas.config.JaasRealm";

    private final BundleContext context;
    private final ServiceListener realms;
    private final ServiceRegistration<ConfigurationListener> configs;

    RealmWatch(BundleContext context, Runnable changed) {
        this.context = context;
        this.realms = event -> changed.run();
        try {
            context.addServiceListener(realms, "(objectClass=" + REALM + ")");
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("service.description", "JsOrc HTTP: forgets remembered logins when the JAAS configuration changes");
        ConfigurationListener listener = (ConfigurationEvent event) -> {
            if (event.getPid().startsWith("org.apache.karaf.jaas")) {
                changed.run();
            }
        };
        this.configs = context.registerService(ConfigurationListener.class, listener, props);
    }

    @Override
    public void close() {
        context.removeServiceListener(realms);
        try {
            configs.unregister();
        } catch (IllegalStateException alreadyGone) {
            // the bundle is stopping: the framework unregistered it
        }
    }
}
