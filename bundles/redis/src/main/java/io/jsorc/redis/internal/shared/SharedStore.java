package io.jsorc.redis.internal.shared;

import io.jsorc.api.MetaService;
import io.jsorc.api.spi.ClusterRefresh;
import io.jsorc.api.spi.GlobTier;
import io.jsorc.api.spi.SharedGlobTier;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the node-local bootstrap configuration {@code jsorc.globs.shared} into the shared glob tier: when
 * {@code enabled}, a {@link RedisGlobTier} registered as a {@link GlobTier} ({@code jsorc.glob.tier=redis}) that the
 * glob store binds and follows. A changed configuration makes a new tier (DS reactivates the component).
 *
 * <p>Thread-safety: DS calls activate and deactivate in order.
 */
@Component(service = {}, configurationPid = SharedStoreConfig.PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        immediate = true)
@Designate(ocd = SharedStoreConfig.class)
public final class SharedStore {

    private static final Logger LOG = LoggerFactory.getLogger(SharedStore.class);

    private RedisGlobTier tier;
    private RefreshBus refreshes;
    private ServiceRegistration<?> registration;
    private ServiceRegistration<?> refreshRegistration;
    private volatile MetaService meta;
    private Thread starting;
    private boolean stopped;

    /**
     * Builds and registers the tier on a thread of its own ({@code jsorc/shared-store-start}): loading Jedis and
     * building the pool stays off the thread that starts the bundles at boot.
     */
    @Activate
    public SharedStore(BundleContext context, SharedStoreConfig config) {
        if (!config.enabled()) {
            LOG.info("The shared glob store is off ({} enabled=false): globs live on this node only",
                    SharedStoreConfig.PID);
            return;
        }
        starting = new Thread(() -> start(context, config), "jsorc/shared-store-start");
        starting.setDaemon(true);
        starting.start();
    }

    private synchronized void start(BundleContext context, SharedStoreConfig config) {
        if (stopped) {
            return;
        }
        try {
            String data = System.getProperty("karaf.data", "data");
            tier = new RedisGlobTier(new RedisGlobTier.Settings(config.host(), config.port(), config.db(),
                    config.user(), config.password(), config.ssl(), config.timeout_ms(), config.stream_max(),
                    config.seeding_window_ms(), Path.of(data, "jsorc", "shared-store.properties")));
            Dictionary<String, Object> props = new Hashtable<>();
            props.put(GlobTier.TIER_NAME, tier.name());
            registration = context.registerService(new String[] {GlobTier.class.getName(),
                SharedGlobTier.class.getName()}, tier, props);
            refreshes = new RefreshBus(tier, () -> meta, config.refresh_jitter());
            refreshRegistration = context.registerService(ClusterRefresh.class, refreshes, null);
            LOG.info("Globs are shared through {} (db {})", tier.where(), config.db());
        } catch (RuntimeException e) {
            LOG.error("The shared glob store could not be started: globs live on this node only", e);
        }
    }

    /** The node's services, for refreshes asked by other nodes (optional: the store starts before them). */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setMeta(MetaService meta) {
        this.meta = meta;
    }

    void unsetMeta(MetaService meta) {
        if (this.meta == meta) {
            this.meta = null;
        }
    }

    @Deactivate
    void deactivate() {
        synchronized (this) {
            stopped = true; // a start not begun yet will not begin
        }
        if (starting != null) {
            try {
                starting.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        stop();
    }

    private synchronized void stop() {
        if (registration != null) {
            registration.unregister(); // the store stops following first: no refresh entry arrives after this
            registration = null;
        }
        if (refreshRegistration != null) {
            refreshRegistration.unregister();
            refreshRegistration = null;
        }
        if (refreshes != null) {
            refreshes.close();
            refreshes = null;
        }
        if (tier != null) {
            tier.close();
            tier = null;
        }
    }
}
