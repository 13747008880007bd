package io.jsorc.globs.internal.configadmin;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.util.Collections;
import java.util.Dictionary;
import java.util.EnumSet;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.ConfigurationListener;

/**
 * An in-memory Config Admin: configurations by PID, {@code (service.pid=...)} filters with a trailing {@code *},
 * events delivered synchronously to the listeners (the tier only enqueues), and a switch to make updates fail.
 */
public final class FakeConfigAdmin implements ConfigurationAdmin {

    final Map<String, Hashtable<String, Object>> store = new ConcurrentHashMap<>();
    public final List<ConfigurationListener> listeners = new CopyOnWriteArrayList<>();
    volatile boolean failUpdates;
    @SuppressWarnings("unchecked")
    private final ServiceReference<ConfigurationAdmin> ref = (ServiceReference<ConfigurationAdmin>) Proxy.newProxyInstance(
            getClass().getClassLoader(), new Class<?>[] {ServiceReference.class}, (p, m, a) -> null);

    /** An edit made by someone else (config:edit, the Web Console, FileInstall). */
    void externalUpdate(String pid, Map<String, Object> props) {
        store.put(pid, new Hashtable<>(props));
        fire(ConfigurationEvent.CM_UPDATED, pid);
    }

    void externalDelete(String pid) {
        store.remove(pid);
        fire(ConfigurationEvent.CM_DELETED, pid);
    }

    private void fire(int type, String pid) {
        ConfigurationEvent e = new ConfigurationEvent(ref, type, null, pid);
        listeners.forEach(l -> l.configurationEvent(e));
    }

    @Override
    public Configuration getConfiguration(String pid, String location) {
        return new Config(pid);
    }

    @Override
    public Configuration getConfiguration(String pid) {
        return new Config(pid);
    }

    @Override
    public Configuration[] listConfigurations(String filter) {
        String want = filter.substring("(service.pid=".length(), filter.length() - 1);
        return store.keySet().stream()
                .filter(pid -> want.endsWith("*") ? pid.startsWith(want.substring(0, want.length() - 1))
                        : pid.equals(want))
                .map(Config::new).toArray(Configuration[]::new);
    }

    @Override
    public Configuration createFactoryConfiguration(String factoryPid) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Configuration createFactoryConfiguration(String factoryPid, String location) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Configuration getFactoryConfiguration(String factoryPid, String name, String location) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Configuration getFactoryConfiguration(String factoryPid, String name) {
        throw new UnsupportedOperationException();
    }

    private final class Config implements Configuration {
        private final String pid;

        Config(String pid) {
            this.pid = pid;
        }

        @Override
        public String getPid() {
            return pid;
        }

        @Override
        public Dictionary<String, Object> getProperties() {
            Hashtable<String, Object> p = store.get(pid);
            return p == null ? null : new Hashtable<>(p);
        }

        @Override
        public Dictionary<String, Object> getProcessedProperties(ServiceReference<?> reference) {
            return getProperties();
        }

        @Override
        public void update(Dictionary<String, ?> properties) throws IOException {
            if (failUpdates) {
                throw new IOException("config admin persistence failed");
            }
            Hashtable<String, Object> p = new Hashtable<>();
            for (String k : Collections.list(properties.keys())) {
                p.put(k, properties.get(k));
            }
            store.put(pid, p);
            fire(ConfigurationEvent.CM_UPDATED, pid);
        }

        @Override
        public boolean updateIfDifferent(Dictionary<String, ?> properties) throws IOException {
            update(properties);
            return true;
        }

        @Override
        public void delete() {
            store.remove(pid);
            fire(ConfigurationEvent.CM_DELETED, pid);
        }

        @Override
        public String getFactoryPid() {
            return null;
        }

        @Override
        public void update() {
        }

        @Override
        public void setBundleLocation(String location) {
        }

        @Override
        public String getBundleLocation() {
            return "?";
        }

        @Override
        public long getChangeCount() {
            return 0;
        }

        @Override
        public void addAttributes(ConfigurationAttribute... attrs) {
        }

        @Override
        public Set<ConfigurationAttribute> getAttributes() {
            return EnumSet.noneOf(ConfigurationAttribute.class);
        }

        @Override
        public void removeAttributes(ConfigurationAttribute... attrs) {
        }
    }
}
