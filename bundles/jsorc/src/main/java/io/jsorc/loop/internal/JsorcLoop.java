package io.jsorc.loop.internal;

import io.jsorc.api.MetaService;
import io.jsorc.api.event.GlobEvent;
import io.jsorc.api.event.GlobListener;
import io.jsorc.api.spi.AutomationProvider;
import io.jsorc.api.spi.AutomationStatus;
import io.jsorc.api.spi.ManifestApplier;
import io.jsorc.api.spi.Supervision;
import io.jsorc.api.spi.TickReport;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The JsOrc bundle's component: the {@link Loop} on its own thread ({@code jsorc/loop}), registered as the
 * {@link AutomationProvider} MetaService tells about {@code META_CONFIG} and refreshes. Its {@link GlobListener} (a
 * changed config glob lifts its service's quarantine) is a plain service object it registers itself: were the
 * component the listener, the glob store getting it while activating would need MetaService, which needs the glob
 * store — a circular reference. A {@link ManifestApplier} service, when there is one, is its cluster side.
 * Deactivation ends the thread (bounded) and unregisters the listener.
 */
@Component(service = AutomationProvider.class, immediate = true)
public final class JsorcLoop implements AutomationProvider, GlobListener {

    private final ThreadScheduler scheduler = new ThreadScheduler(null);
    private final Loop loop;
    private final ServiceRegistration<GlobListener> listener;
    private volatile ManifestApplier applier;

    @Activate
    public JsorcLoop(@Reference MetaService meta, BundleContext context) {
        loop = new Loop(meta, Clock.systemUTC(), scheduler,
                new Supervisor(() -> ThreadLocalRandom.current().nextDouble()), () -> applier);
        listener = context == null ? null : context.registerService(GlobListener.class, this::globChanged, null);
    }

    /** Without OSGi (tests): no listener registered; call {@link #globChanged} directly. */
    public JsorcLoop(MetaService meta) {
        this(meta, null);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindApplier(ManifestApplier bound) {
        applier = bound;
    }

    void unbindApplier(ManifestApplier unbound) {
        if (applier == unbound) {
            applier = null;
        }
    }

    @Deactivate
    public void close() {
        if (listener != null) {
            try {
                listener.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the bundle is stopping: the framework unregistered it
            }
        }
        loop.close();
        scheduler.close();
    }

    @Override
    public boolean isRunning() {
        return loop.isRunning();
    }

    @Override
    public void metaConfigRead(long sequence, Map<String, Object> metaConfig) {
        loop.configure(sequence, metaConfig);
    }

    @Override
    public void serviceRefreshed(String name) {
        loop.refreshed(name);
    }

    @Override
    public AutomationStatus status() {
        return loop.status();
    }

    @Override
    public Optional<Supervision> supervision(String name) {
        return loop.supervision(name);
    }

    @Override
    public TickReport check() throws InterruptedException, TimeoutException {
        return loop.check();
    }

    /**
     * A config glob written by an operator or a file gives its service a fresh start; the service's own writes (its
     * defaults, {@code saveGlob}) do not, so a failing service cannot lift its own quarantine.
     */
    @Override
    public void globChanged(GlobEvent event) {
        if (!Set.of("default", "service").contains(event.origin().source())) {
            loop.configChanged(event.name());
        }
    }
}
