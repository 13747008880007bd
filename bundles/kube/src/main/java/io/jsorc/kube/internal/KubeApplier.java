package io.jsorc.kube.internal;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jsorc.api.CommonService;
import io.jsorc.api.Hook;
import io.jsorc.api.MetaService;
import io.jsorc.api.ServiceInfo;
import io.jsorc.api.config.GlobStore;
import io.jsorc.api.config.GlobValue;
import io.jsorc.api.config.Origin;
import io.jsorc.api.config.StoredGlob;
import io.jsorc.api.spi.ManifestApplier;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The loop's cluster side: applies manifests through the running {@code kube} service's client ({@link Reconciler}),
 * stores them ({@code apply_yaml}), creates raw documents ({@code load_yaml}), plans. Node-local settings (PID
 * {@code io.jsorc.kube}): the protected kinds and how many writes go out at once.
 */
@Component(service = {ManifestApplier.class, KubeApplier.class}, configurationPid = KubeApplier.PID)
@Designate(ocd = KubeApplier.Settings.class)
public final class KubeApplier implements ManifestApplier {

    static final String PID = "io.jsorc.kube";
    private static final Pattern MANIFEST_NAME = Pattern.compile("[A-Z][A-Z0-9_]{0,53}_MANIFEST");
    private static final Logger LOG = LoggerFactory.getLogger(KubeApplier.class);

    /** Node-local settings of the Kubernetes part. */
    @ObjectClassDefinition(name = "JsOrc Kubernetes", description = "How manifests are applied on this node")
    public @interface Settings {
        @AttributeDefinition(name = "Protected kinds", description = "Kinds pruned only with the paraphrase "
                + "(apply-yaml --unsafe-paraphrase)")
        String[] protected_kinds() default {"PersistentVolumeClaim", "PersistentVolume", "Namespace",
            "CustomResourceDefinition"};

        @AttributeDefinition(name = "Concurrent writes", description = "Creates and patches of one kind sent at once")
        int concurrent_writes() default 8;
    }

    private final MetaService meta;
    private final GlobStore globs;
    private final Clock clock;
    private final Gate gate = new Gate(() -> true);
    private final Map<String, ManifestStatus> applied = new ConcurrentHashMap<>();
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();
    private volatile Set<String> protectedKinds = Set.copyOf(Reconciler.DEFAULT_PROTECTED);
    private final ThreadPoolExecutor writers;

    @Activate
    public KubeApplier(@Reference MetaService meta, @Reference GlobStore globs, Settings settings) {
        this(meta, globs, settings, Clock.systemUTC());
    }

    KubeApplier(MetaService meta, GlobStore globs, Settings settings, Clock clock) {
        this.meta = meta;
        this.globs = globs;
        this.clock = clock;
        AtomicInteger n = new AtomicInteger();
        int threads = Math.max(1, settings == null ? 8 : settings.concurrent_writes());
        this.writers = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                r -> {
                    Thread t = new Thread(r, "jsorc/kube-write-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        writers.allowCoreThreadTimeOut(true);
        modified(settings);
    }

    @Modified
    void modified(Settings settings) {
        if (settings != null) {
            protectedKinds = Set.copyOf(Arrays.asList(settings.protected_kinds()));
            int threads = Math.max(1, settings.concurrent_writes());
            if (threads > writers.getMaximumPoolSize()) {
                writers.setMaximumPoolSize(threads);
                writers.setCorePoolSize(threads);
            } else {
                writers.setCorePoolSize(threads);
                writers.setMaximumPoolSize(threads);
            }
        }
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        writers.shutdownNow();
        writers.awaitTermination(10, TimeUnit.SECONDS);
    }

    // ------------------------------------------------------------------ ManifestApplier

    @Override
    public String describe() {
        Optional<ServiceInfo> kube = meta.info(KubeService.NAME);
        if (kube.isEmpty()) {
            return "Kubernetes: the kube service is not registered";
        }
        String namespace = namespace();
        CommonService<?> service = meta.buildHook().service(KubeService.NAME);
        if (service instanceof KubeService k && service.isRunning()) {
            return k.where() + ", namespace " + namespace;
        }
        ServiceInfo info = kube.get();
        return "Kubernetes unreachable: kube is " + info.state()
                + (info.lastError() == null ? (info.enabled() ? "" : " (disabled in KUBE_CONFIG)")
                        : ": " + info.lastError());
    }

    @Override
    public Applied apply(String service, Map<String, Object> manifest, Map<String, Object> manifestMeta,
            String namespace) throws Exception {
        String glob = manifestGlob(service);
        ReentrantLock lock = lock(glob);
        if (!lock.tryLock()) {     // the console applies it now: the tick goes on with the other services
            return new Applied(false, glob + " is being applied by another caller: checked again at the next tick");
        }
        try {
            // the manifest as stored now, read under the glob's lock: a RUNNING service (jsorc:check) still holds
            // the one it read at its last reset, and an apply-yaml --now may have stored a newer one meanwhile
            Map<String, Object> full = globs.exists(glob) ? stored(glob) : null;
            if (full == null) {
                if (declaresManifest(service) || manifest == null || manifest.isEmpty()) {
                    // its manifest glob was deleted: nothing to apply (what was applied stays in the cluster)
                    return new Applied(true, "no manifest to apply");
                }
                // a manifest the service builds itself
                full = new LinkedHashMap<>(manifest);
                if (manifestMeta != null) {
                    manifestMeta.forEach(full::putIfAbsent);
                }
            }
            Outcome outcome = applyManifest(service, glob, full, namespace);
            return new Applied(outcome.verdict().ready(), outcome.note());
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean hasManifest(String service, Map<String, Object> manifest) {
        if (globs.exists(manifestGlob(service))) {
            return true;
        }
        // a declared manifest glob that is not stored (deleted): none, whatever the service read at its last reset
        return !declaresManifest(service) && manifest != null && !manifest.isEmpty();
    }

    private boolean declaresManifest(String service) {
        return meta.info(service).map(ServiceInfo::manifestGlob).filter(g -> g != null && !g.isBlank()).isPresent();
    }

    /** One apply of a manifest at a time (the loop's, the console's --now): each reads the glob under it. */
    private ReentrantLock lock(String glob) {
        return locks.computeIfAbsent(glob, g -> new ReentrantLock());
    }

    @Override
    public Map<String, Object> applyYaml(String name, String yaml, String unsafeParaphrase, boolean adopt,
            Origin origin) {
        checkName(name);
        List<Map<String, Object>> docs = ManifestYaml.parse(yaml);
        Map<String, Object> manifest;
        for (int attempt = 1; ; attempt++) {
            // built on the version read, written only over it: two apply_yaml at once never lose each other's names
            Optional<GlobValue> current = globs.get(name);
            manifest = ManifestYaml.build(docs, current.map(v -> asManifest(name, v)).orElse(null), unsafeParaphrase,
                    adopt, clock.instant());
            try {
                globs.setValue(name, manifest, current.map(GlobValue::revision).orElse(GlobStore.ABSENT), origin);
                break;
            } catch (io.jsorc.api.config.GlobException e) {
                if (e.reason() != io.jsorc.api.config.GlobException.Reason.STALE_REVISION || attempt >= 5) {
                    throw e;
                }
            }
        }
        LOG.info("Manifest {} stored by {} ({} documents, version {}): applied by the JsOrc loop when {} is not "
                + "RUNNING, or now with jsorc:check", name, origin.actor(), docs.size(),
                ManifestYaml.highestVersion(manifest), serviceOf(name).orElse("its service"));
        return manifest;
    }

    @Override
    public Map<String, Object> loadYaml(String yaml, String namespace, Origin origin) throws Exception {
        List<Map<String, Object>> docs = ManifestYaml.parse(yaml);
        if (!meta.isAutomated()) {
            return Map.of("message", "load_yaml is not supported on non automated JsOrc!");
        }
        KubernetesClient client = client();
        String ns = namespace == null || namespace.isBlank() ? "default" : namespace;
        Kinds kinds = new Kinds(client);
        for (Map<String, Object> doc : docs) {       // every kind known before anything is created
            kinds.resolve(String.valueOf(doc.get("apiVersion")), String.valueOf(doc.get("kind")));
        }
        Map<String, Object> result = new LinkedHashMap<>();
        for (Map<String, Object> doc : docs) {
            Kinds.Kind kind = kinds.resolve(String.valueOf(doc.get("apiVersion")), String.valueOf(doc.get("kind")));
            @SuppressWarnings("unchecked")
            Map<String, Object> body = (Map<String, Object>) Reconciler.substitute(Json.copy(doc), ns);
            Map<String, Object> metadata = Json.mapIn(body, "metadata");
            String target = null;
            if (kind.namespaced()) {
                target = ManifestYaml.text(metadata.get("namespace")) == null ? ns
                        : String.valueOf(metadata.get("namespace"));
                metadata.put("namespace", target);
            } else {
                metadata.remove("namespace");
            }
            GenericKubernetesResource resource = client.getKubernetesSerialization().convertValue(body,
                    GenericKubernetesResource.class);
            String where = target;
            LOG.info("Creating {} for `{}` with namespace `{}` (load_yaml by {})", kind.kind(),
                    ManifestYaml.name(body), where, origin.actor());
            GenericKubernetesResource created = gate.write("create " + kind.kind() + " " + ManifestYaml.name(body),
                    () -> where == null ? client.genericKubernetesResources(kind.context()).resource(resource).create()
                            : client.genericKubernetesResources(kind.context()).inNamespace(where).resource(resource)
                                    .create());
            @SuppressWarnings("unchecked")
            Map<String, Object> map = client.getKubernetesSerialization().convertValue(created, Map.class);
            @SuppressWarnings("unchecked")
            List<Object> list = (List<Object>) result.computeIfAbsent(kind.kind(), k -> new ArrayList<>());
            list.add(map);
        }
        return result;
    }

    @Override
    public List<ManifestStatus> manifests() {
        List<ManifestStatus> list = new ArrayList<>(applied.values());
        list.sort(Comparator.comparing(ManifestStatus::glob));
        return list;
    }

    // ------------------------------------------------------------------ for the console and tests

    /** What an apply did and whether the workload is ready. */
    public record Outcome(Reconciler.Result result, Readiness.Verdict verdict) {
        public String note() {
            return result.summary() + "; " + verdict.note();
        }
    }

    /** Applies the stored manifest {@code glob} now, whatever its service's state. */
    public Outcome applyNow(String glob) throws Exception {
        checkName(glob);
        ReentrantLock lock = lock(glob);
        lock.lockInterruptibly();
        try {
            Map<String, Object> manifest = stored(glob);
            if (manifest == null) {
                throw new IllegalArgumentException("No manifest " + glob + ": store one with jsorc:apply-yaml " + glob
                        + " FILE");
            }
            return applyManifest(serviceOf(glob).orElse(null), glob, manifest, namespace());
        } finally {
            lock.unlock();
        }
    }

    /**
     * The plan of {@code glob}: what applying it (or, with {@code yaml}, that YAML stored as its next version)
     * would create, update field by field, prune and leave alone. Reads only.
     */
    public Reconciler.Result plan(String glob, String yaml, boolean adopt, String paraphrase) throws Exception {
        checkName(glob);
        Map<String, Object> manifest = stored(glob);
        if (yaml != null) {
            manifest = ManifestYaml.build(ManifestYaml.parse(yaml), manifest, paraphrase, adopt, clock.instant());
        } else if (manifest == null) {
            throw new IllegalArgumentException("No manifest " + glob + ": give a FILE to plan a first one");
        }
        return reconciler(client(), true).plan(request(glob, manifest, namespace()));
    }

    /** Whether the workloads of the stored manifest {@code glob} are ready now. */
    public Readiness.Verdict readiness(String glob) {
        Map<String, Object> manifest = stored(glob);
        if (manifest == null) {
            throw new IllegalArgumentException("No manifest " + glob);
        }
        return new Readiness(client()).check(ManifestYaml.documents(manifest), namespace());
    }

    /** Writes sent through the gate since this component started. */
    long writes() {
        return gate.writes();
    }

    // ------------------------------------------------------------------ inside

    private Outcome applyManifest(String service, String glob, Map<String, Object> manifest, String namespace)
            throws Exception {
        KubernetesClient client = client();
        boolean quiet = meta.info(KubeService.NAME).map(ServiceInfo::quiet).orElse(false);
        Reconciler.Request request = request(glob, manifest, namespace);
        Reconciler.Result result = reconciler(client, quiet).apply(request);
        Readiness.Verdict verdict = new Readiness(client).check(ManifestYaml.documents(manifest), namespace);
        Outcome outcome = new Outcome(result, verdict);
        applied.put(glob, new ManifestStatus(service, glob, result.version(), result.objects(), verdict.ready(),
                outcome.note(), clock.instant()));
        if (!quiet && (result.count(Reconciler.Action.CREATE) + result.count(Reconciler.Action.UPDATE)
                + result.count(Reconciler.Action.PRUNE) + result.count(Reconciler.Action.ADOPT)) > 0) {
            LOG.info("Manifest {} applied: {}", glob, outcome.note());
        }
        return outcome;
    }

    private Reconciler reconciler(KubernetesClient client, boolean quiet) {
        return new Reconciler(client, gate, writers, this::fromHistory, quiet);
    }

    private Reconciler.Request request(String glob, Map<String, Object> manifest, String namespace) {
        boolean unsafe = UNSAFE_PARAPHRASE.equals(manifest.get(ManifestYaml.PARAPHRASE));
        boolean adopt = Boolean.TRUE.equals(manifest.get(ManifestYaml.ADOPT));
        // the kinds of every version kept in history too: a rollback (or a manifest written by config-set) lacks
        // the kinds only later versions had, whose objects must still be found and pruned
        Map<String, Object> oldConfig = new LinkedHashMap<>();
        Map<String, Object> oldApis = new LinkedHashMap<>();
        if (Json.map(manifest, ManifestYaml.OLD_CONFIG) != null) {
            oldConfig.putAll(Json.map(manifest, ManifestYaml.OLD_CONFIG));
        }
        if (Json.map(manifest, ManifestYaml.OLD_API_VERSIONS) != null) {
            oldApis.putAll(Json.map(manifest, ManifestYaml.OLD_API_VERSIONS));
        }
        for (StoredGlob revision : globs.history(glob)) {
            Object value;
            try {
                value = revision.json() == null ? null : globs.parse(revision.json());
            } catch (RuntimeException e) {
                continue;
            }
            if (value instanceof Map<?, ?> old) {
                for (Map.Entry<?, ?> kind : old.entrySet()) {
                    String key = String.valueOf(kind.getKey());
                    if (!key.startsWith("__") && kind.getValue() instanceof List<?> docs && !docs.isEmpty()
                            && docs.get(0) instanceof Map<?, ?> doc && doc.get("apiVersion") != null) {
                        oldConfig.putIfAbsent(key, List.of());
                        oldApis.putIfAbsent(key, doc.get("apiVersion"));
                    }
                }
            }
        }
        return new Reconciler.Request(glob, ManifestYaml.documents(manifest), oldConfig, oldApis, namespace, unsafe,
                adopt, protectedKinds);
    }

    /** The document {@code kind}/{@code name} of the version {@code version} of {@code glob}, from its history. */
    private Map<String, Object> fromHistory(String glob, String kind, String name, String version) {
        String namespace = namespace();
        for (StoredGlob revision : globs.history(glob)) {
            Object value;
            try {
                value = globs.parse(revision.json());
            } catch (RuntimeException e) {
                continue;
            }
            if (value instanceof Map<?, ?> map && map.get(kind) instanceof List<?> docs) {
                for (Object doc : docs) {
                    if (doc instanceof Map<?, ?> d && ManifestYaml.name(d) != null
                            && name.equals(Reconciler.substitute(ManifestYaml.name(d), namespace))
                            && version.equals(ManifestYaml.version(d))) {
                        @SuppressWarnings("unchecked")
                        Map<String, Object> found = (Map<String, Object>) d;
                        return found;
                    }
                }
            }
        }
        return null;
    }

    private KubernetesClient client() {
        Hook hook = meta.buildHook();
        Optional<KubernetesClient> client = hook.app(KubeService.NAME, KubernetesClient.class);
        if (client.isEmpty()) {
            throw new KubernetesUnreachable(describe());
        }
        return client.get();
    }

    private Map<String, Object> stored(String glob) {
        return globs.get(glob).map(v -> asManifest(glob, v)).orElse(null);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asManifest(String glob, GlobValue value) {
        if (!(value.value() instanceof Map)) {
            throw new IllegalArgumentException("Glob " + glob + " is not a manifest (not a JSON object)");
        }
        return (Map<String, Object>) value.value();
    }

    private String namespace() {
        Object meta = globs.get("META_CONFIG").map(GlobValue::value).orElse(null);
        if (meta instanceof Map<?, ?> m && m.get("namespace") instanceof String ns && !ns.isBlank()) {
            return ns;
        }
        return "default";
    }

    private String manifestGlob(String service) {
        return meta.info(service).map(ServiceInfo::manifestGlob).filter(g -> g != null && !g.isBlank())
                .orElse(service.toUpperCase(java.util.Locale.ROOT) + "_MANIFEST");
    }

    private Optional<String> serviceOf(String glob) {
        Set<String> names = new LinkedHashSet<>(meta.serviceNames());
        for (String name : names) {
            if (glob.equals(manifestGlob(name))) {
                return Optional.of(name);
            }
        }
        return Optional.empty();
    }

    private static void checkName(String name) {
        if (name == null || !MANIFEST_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("Not a manifest glob name: " + name
                    + " (expected <NAME>_MANIFEST, upper case, at most 63 characters)");
        }
    }

    /** The kube service is not running: the line says why. */
    static final class KubernetesUnreachable extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        KubernetesUnreachable(String message) {
            super(message);
        }
    }
}
