package io.jsorc.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.ConfigurationListener;

/** The settings as DS hands them over, and what makes remembered logins go. */
class SettingsAndRealmWatchTest {

    /** An {@link HttpSettings} as DS would make it from a configuration: defaults except {@code values}. */
    static HttpSettings settings(Map<String, Object> values) {
        return (HttpSettings) Proxy.newProxyInstance(HttpSettings.class.getClassLoader(),
                new Class<?>[] {HttpSettings.class}, (proxy, method, args) -> values.containsKey(method.getName())
                        ? values.get(method.getName()) : method.getDefaultValue());
    }

    @Test
    void allowedOriginsAreNormalisedAndDuplicatesOrBlanksAreHarmless() {
        AdminServlet.Limits limits = AdminServlet.limits(settings(Map.of("allowed_origins",
                new String[] {"https://A.example/", "https://a.example", " ", "http://b.example:8080"})));
        assertEquals(Set.of("https://a.example", "http://b.example:8080"), limits.origins());
        assertEquals(1024 * 1024, limits.body());
        assertEquals(8 * 1024 * 1024, limits.manifestBody());
        AdminServlet.Limits floor = AdminServlet.limits(settings(Map.of("max_body", 0L, "max_manifest_body", -5L)));
        assertEquals(1, floor.body(), "a limit below 1 byte is 1 byte, never 'no limit'");
        assertEquals(1, floor.manifestBody());
    }

    @Test
    void realmChangesAndJaasConfigurationChangesCallBackAndCloseUnregistersBoth() {
        List<ServiceListener> listeners = new ArrayList<>();
        List<String> filters = new ArrayList<>();
        List<ConfigurationListener> configListeners = new ArrayList<>();
        AtomicInteger unregistered = new AtomicInteger();
        ServiceRegistration<?> registration = (ServiceRegistration<?>) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {ServiceRegistration.class}, (p, m, a) -> {
                    if (m.getName().equals("unregister")) {
                        unregistered.incrementAndGet();
                    }
                    return null;
                });
        BundleContext context = (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {BundleContext.class}, (p, m, a) -> switch (m.getName()) {
                    case "addServiceListener" -> {
                        listeners.add((ServiceListener) a[0]);
                        filters.add((String) a[1]);
                        yield null;
                    }
                    case "removeServiceListener" -> {
                        listeners.remove(a[0]);
                        yield null;
                    }
                    case "registerService" -> {
                        configListeners.add((ConfigurationListener) a[1]);
                        assertEquals(true, a[2] instanceof Dictionary);
                        yield registration;
                    }
                    default -> throw new UnsupportedOperationException(m.getName());
                });
        AtomicInteger changed = new AtomicInteger();
        RealmWatch watch = new RealmWatch(context, changed::incrementAndGet);
        assertEquals(List.of("(objectClass=" + RealmWatch.REALM + ")"), filters);
        org.osgi.framework.ServiceReference<?> realm = (org.osgi.framework.ServiceReference<?>) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {org.osgi.framework.ServiceReference.class},
                (p, m, a) -> null);
        listeners.get(0).serviceChanged(new ServiceEvent(ServiceEvent.UNREGISTERING, realm));
        assertEquals(1, changed.get(), "a realm going away");
        configListeners.get(0).configurationEvent(event("org.apache.karaf.jaas"));
        assertEquals(2, changed.get(), "the JAAS configuration changed");
        configListeners.get(0).configurationEvent(event("org.ops4j.pax.web"));
        assertEquals(2, changed.get(), "another configuration is not the realm's");
        watch.close();
        assertEquals(List.of(), listeners);
        assertEquals(1, unregistered.get());
    }

    static ConfigurationEvent event(String pid) {
        @SuppressWarnings("unchecked")
        org.osgi.framework.ServiceReference<org.osgi.service.cm.ConfigurationAdmin> admin =
                (org.osgi.framework.ServiceReference<org.osgi.service.cm.ConfigurationAdmin>) Proxy.newProxyInstance(
                        SettingsAndRealmWatchTest.class.getClassLoader(),
                        new Class<?>[] {org.osgi.framework.ServiceReference.class}, (p, m, a) -> null);
        return new ConfigurationEvent(admin, ConfigurationEvent.CM_UPDATED, null, pid);
    }

    @Test
    void noIfMatchIsNoRevision() {
        assertNull(AdminServlet.ifMatch(null));
    }
}
