package io.jsorc.globs.internal.schema;

import io.jsorc.api.config.GlobStore;
import io.jsorc.api.config.GlobValue;
import io.jsorc.api.config.Secrets;
import io.jsorc.api.event.GlobListener;
import io.jsorc.globs.internal.schema.GlobSchema.Field;
import io.jsorc.globs.internal.schema.GlobSchema.Type;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.MetaTypeProvider;
import org.osgi.service.metatype.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the schema of every glob as MetaType for its configuration PID {@code jsorc.glob.<NAME>}: a
 * {@link MetaTypeProvider} service whose {@code metatype.pid} lists every stored {@code *_CONFIG} and every declared
 * glob, so
 * the Web Console's Configuration Manager shows a typed form instead of one {@code json} property. The object class
 * definition is built on every request (Felix MetaType asks the provider each time): its fields are the declared
 * schema (else the inferred one), and their defaults are the glob's <em>current</em> values — the configuration
 * holds only {@code json}, so the form shows what is stored (secrets as {@code ********}). A last field,
 * {@code jsorc.revision}, carries the revision the form was loaded at back with the save, so a save made on an
 * older read is refused instead of overwriting a newer edit.
 *
 * <p>Thread-safety: every method is thread-safe.
 */
@Component(service = {})
public final class GlobMetaTypes implements MetaTypeProvider {

    private static final Logger LOG = LoggerFactory.getLogger(GlobMetaTypes.class);
    /** Marks our provider, so the JsOrc page finds it among others. */
    public static final String PROVIDER_PROPERTY = "jsorc.glob.metatype";

    private final GlobStore store;
    private final Schemas schemas;
    private final Object registrationLock = new Object();
    private ServiceRegistration<MetaTypeProvider> registration;
    private ServiceRegistration<GlobListener> listener;
    private List<String> pids = List.of();
    private final Runnable onSchemas = this::update;

    @Activate
    public GlobMetaTypes(BundleContext context, @Reference GlobStore store, @Reference Schemas schemas) {
        this.store = store;
        this.schemas = schemas;
        synchronized (registrationLock) {
            pids = pids();
            registration = context.registerService(MetaTypeProvider.class, this, properties(pids));
        }
        schemas.onChange(onSchemas);
        // registered here, not as a DS service: the store binds listeners, and this component needs the store
        listener = context.registerService(GlobListener.class, event -> {
            if (event.oldRevision() == 0 || event.deleted()) {
                update();
            }
        }, null);
    }

    @Deactivate
    void deactivate() {
        schemas.removeListener(onSchemas);
        listener.unregister();
        synchronized (registrationLock) {
            registration.unregister();
            registration = null;
        }
    }

    /**
     * Declared globs, and every stored {@code *_CONFIG}: a form needs an object. Other globs (any JSON, manifests)
     * keep Config Admin's own view of them, the {@code json} property, editable as text.
     */
    private List<String> pids() {
        TreeSet<String> names = new TreeSet<>(schemas.declaredNames());
        try {
            store.list().stream().filter(n -> n.endsWith("_CONFIG")).forEach(names::add);
        } catch (RuntimeException e) {
            LOG.debug("Listing globs for MetaType failed: {}", e.getMessage());
        }
        List<String> list = new ArrayList<>();
        names.forEach(n -> list.add(MetatypeXml.GLOB_PREFIX + n));
        return list;
    }

    private static Hashtable<String, Object> properties(List<String> pids) {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(MetaTypeProvider.METATYPE_PID, pids.toArray(String[]::new));
        props.put(PROVIDER_PROPERTY, Boolean.TRUE);
        return props;
    }

    /** Publishes the PIDs again when globs or schemas came or went. */
    void update() {
        synchronized (registrationLock) {
            List<String> now = pids();
            if (registration != null && !now.equals(pids)) {
                pids = now;
                registration.setProperties(properties(now));
            }
        }
    }

    @Override
    public ObjectClassDefinition getObjectClassDefinition(String id, String locale) {
        if (id == null || !id.startsWith(MetatypeXml.GLOB_PREFIX)) {
            return null;
        }
        String name = id.substring(MetatypeXml.GLOB_PREFIX.length());
        if (!name.endsWith("_CONFIG") && schemas.declared(name).isEmpty()) {
            return null; // not an object by rule: no form (its json property is edited as text)
        }
        Optional<GlobValue> current;
        try {
            current = store.get(name);
        } catch (RuntimeException unreadable) {
            current = Optional.empty(); // the form then shows the declared defaults
        }
        Object value = current.map(GlobValue::value).orElse(null);
        GlobSchema schema = schemas.schema(name, value);
        List<AttributeDefinition> ads = new ArrayList<>();
        for (Field field : schema.fields()) {
            ads.add(new Ad(field, currentDefaults(field, value)));
        }
        long revision = current.map(GlobValue::revision).orElse(0L);
        if (revision > 0) { // a glob not stored yet: its first save is an edit without a revision
            ads.add(new Ad(new Field("jsorc.revision", "Revision (loaded)", "The revision this form shows. Leave it as "
                + "it is: a save made on an older revision is refused, so nobody's newer edit is overwritten.",
                    Type.LONG, 0, List.of(), List.of(), null, null, false), new String[] {Long.toString(revision)}));
        }
        String description = (schema.description().isEmpty() ? "" : schema.description() + " ")
                + "Config glob " + name + (schema.declared() ? " (declared by " + schema.source() + ")" : "")
                + ". A save is validated like jsorc:config-set; it does not refresh the service "
                + "(the JsOrc page saves and refreshes).";
        return new Ocd(id, schema.title(), description, ads);
    }

    /** The current value of a field as MetaType defaults; secrets as the mask; null when absent or null. */
    static String[] currentDefaults(Field field, Object value) {
        Optional<Object> found = value instanceof Map<?, ?> map ? Paths.get(map, field.id()) : Optional.empty();
        if (found.isEmpty()) {
            return field.defaults().isEmpty() ? null : field.defaults().toArray(String[]::new);
        }
        Object v = Paths.value(found.get());
        if (v == null) {
            return null;
        }
        boolean secret = field.type() == Type.PASSWORD || Secrets.isSecretKey(lastSegment(field.id()));
        if (v instanceof List<?> list) {
            return list.stream().map(e -> secret && e != null ? Secrets.MASK : String.valueOf(e))
                    .toArray(String[]::new);
        }
        if (v instanceof Map) {
            return null;
        }
        return new String[] {secret ? Secrets.MASK : String.valueOf(Secrets.mask(v))}; // URL user-info masked
    }

    private static String lastSegment(String id) {
        int dot = id.lastIndexOf('.');
        return dot < 0 ? id : id.substring(dot + 1);
    }

    @Override
    public String[] getLocales() {
        return null;
    }

    private record Ocd(String id, String title, String description, List<AttributeDefinition> ads)
            implements ObjectClassDefinition {

        @Override
        public String getName() {
            return title;
        }

        @Override
        public String getID() {
            return id;
        }

        @Override
        public String getDescription() {
            return description;
        }

        @Override
        public AttributeDefinition[] getAttributeDefinitions(int filter) {
            return filter == OPTIONAL ? null : ads.toArray(AttributeDefinition[]::new);
        }

        @Override
        public InputStream getIcon(int size) {
            return null;
        }
    }

    private record Ad(Field field, String[] defaults) implements AttributeDefinition {

        @Override
        public String getName() {
            return field.title();
        }

        @Override
        public String getID() {
            return field.id();
        }

        @Override
        public String getDescription() {
            return field.description();
        }

        @Override
        public int getCardinality() {
            return field.cardinality();
        }

        @Override
        public int getType() {
            return field.type().metatype();
        }

        @Override
        public String[] getOptionValues() {
            return field.options().isEmpty() ? null
                    : field.options().stream().map(GlobSchema.Option::value).toArray(String[]::new);
        }

        @Override
        public String[] getOptionLabels() {
            return field.options().isEmpty() ? null
                    : field.options().stream().map(GlobSchema.Option::label).toArray(String[]::new);
        }

        @Override
        public String validate(String value) {
            return null; // the glob store validates the whole value on save, naming the field
        }

        @Override
        public String[] getDefaultValue() {
            return defaults;
        }
    }
}
