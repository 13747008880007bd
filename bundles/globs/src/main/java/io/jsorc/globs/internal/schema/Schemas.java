package io.jsorc.globs.internal.schema;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.util.tracker.BundleTracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The schemas of config globs: declared ones, read from the metatype XML of every active bundle (an OCD whose id is
 * {@code jsorc.glob.<NAME>}, what bnd writes for an {@code @ObjectClassDefinition}), and inferred ones, from the
 * defaults a service passes to {@code serviceGlob}. Only the parsed schema is kept (ids, types, texts): never a
 * class or a bundle, so a redeployed bundle's class loader is not held. When two active bundles declare the same
 * glob, the one that started first wins and the other is named in a WARN.
 *
 * <p>Thread-safety: every method is thread-safe; listeners are called on the thread that changed the schemas.
 */
@Component(service = Schemas.class)
public final class Schemas {

    private static final Logger LOG = LoggerFactory.getLogger(Schemas.class);
    private static final String FOLDER = "OSGI-INF/metatype/";

    /** Per glob name, the declarations in bundle start order (the first is used). */
    private final Map<String, List<GlobSchema>> declared = new ConcurrentHashMap<>();
    private final Map<String, GlobSchema> fromDefaults = new ConcurrentHashMap<>();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private BundleTracker<List<GlobSchema>> tracker;

    /** For the test kit and unit tests: no bundles, schemas added with {@link #declare}. */
    public Schemas() {
    }

    @Activate
    void activate(BundleContext context) {
        tracker = new BundleTracker<>(context, Bundle.ACTIVE | Bundle.STARTING, null) {
            @Override
            public List<GlobSchema> addingBundle(Bundle bundle, BundleEvent event) {
                List<GlobSchema> found = read(bundle);
                found.forEach(Schemas.this::declare);
                return found.isEmpty() ? null : found;
            }

            @Override
            public void removedBundle(Bundle bundle, BundleEvent event, List<GlobSchema> found) {
                found.forEach(Schemas.this::withdraw);
            }
        };
        tracker.open();
    }

    @Deactivate
    void deactivate() {
        tracker.close();
    }

    /** The declared schemas of a bundle's globs; a bundle whose metatype cannot be read is named in a WARN. */
    static List<GlobSchema> read(Bundle bundle) {
        Enumeration<String> paths = bundle.getEntryPaths(FOLDER);
        if (paths == null) {
            return List.of();
        }
        List<GlobSchema> found = new ArrayList<>();
        for (String path : Collections.list(paths)) {
            if (!path.endsWith(".xml")) {
                continue;
            }
            URL entry = bundle.getEntry(path);
            if (entry == null) {
                continue;
            }
            try (InputStream in = entry.openStream()) {
                found.addAll(MetatypeXml.read(in, bundle.getSymbolicName()).values());
            } catch (IOException e) {
                LOG.warn("The metatype {} of bundle {} is not readable ({}); its glob schemas are ignored", path,
                        bundle.getSymbolicName(), e.getMessage());
            }
        }
        return found;
    }

    /** Adds a declared schema (the first declaration of a name wins while its bundle is active). */
    public void declare(GlobSchema schema) {
        List<GlobSchema> list = declared.computeIfAbsent(schema.name(), n -> new CopyOnWriteArrayList<>());
        list.add(schema);
        if (list.size() > 1) {
            LOG.warn("Glob {} is declared by {} and by {}; the schema of {} is used", schema.name(),
                    list.get(0).source(), schema.source(), list.get(0).source());
        } else {
            LOG.info("Glob {}: schema declared by {} ({} fields)", schema.name(), schema.source(),
                    schema.fields().size());
        }
        changed();
    }

    void withdraw(GlobSchema schema) {
        List<GlobSchema> list = declared.get(schema.name());
        if (list != null) {
            list.removeIf(s -> s == schema);
            if (list.isEmpty()) {
                declared.remove(schema.name(), list);
            }
        }
        changed();
    }

    /** The declared schema of {@code name}, the one values are validated against. */
    public Optional<GlobSchema> declared(String name) {
        List<GlobSchema> list = declared.get(name);
        return list == null || list.isEmpty() ? Optional.empty() : Optional.of(list.get(0));
    }

    /** Remembers the form of a glob whose service gave these defaults (used while it declares no schema). */
    public void defaults(String name, Object defaults) {
        if (declared(name).isEmpty() && defaults instanceof Map<?, ?>) {
            GlobSchema inferred = Inferred.of(name, defaults);
            if (!inferred.equals(fromDefaults.put(name, inferred))) {
                changed();
            }
        }
    }

    /** The form of {@code name}: declared, else inferred from its defaults, else from {@code value}. */
    public GlobSchema schema(String name, Object value) {
        return declared(name).orElseGet(() -> {
            GlobSchema byDefaults = fromDefaults.get(name);
            return byDefaults != null ? byDefaults : Inferred.of(name, value);
        });
    }

    /** The names of every glob with a declared schema. */
    public Set<String> declaredNames() {
        return new TreeSet<>(declared.keySet());
    }

    /** Called after every change of the declared or inferred schemas. */
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    public void removeListener(Runnable listener) {
        listeners.remove(listener);
    }

    private void changed() {
        for (Runnable listener : listeners) {
            try {
                listener.run();
            } catch (RuntimeException e) {
                LOG.warn("A glob schema listener failed", e);
            }
        }
    }
}
