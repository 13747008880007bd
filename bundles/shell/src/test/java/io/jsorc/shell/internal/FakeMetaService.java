package io.jsorc.shell.internal;

import io.jsorc.api.CommonService;
import io.jsorc.api.Hook;
import io.jsorc.api.MetaService;
import io.jsorc.api.ServiceInfo;
import io.jsorc.api.ServiceState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * A MetaService holding {@link ServiceInfo} rows. {@code start} moves an enabled NOT_STARTED service to
 * {@link #startResult}; {@code refresh} records the name and moves the service to RUNNING when enabled.
 */
final class FakeMetaService implements MetaService {

    final TreeMap<String, ServiceInfo> infos = new TreeMap<>();
    final List<String> refreshed = new ArrayList<>();
    final List<String> started = new ArrayList<>();
    ServiceState startResult = ServiceState.RUNNING;

    /** A row with the given state and settings; bundle {@code test.bundle 1.0.0}. */
    static ServiceInfo info(String name, ServiceState state, boolean enabled, String lastError) {
        return new ServiceInfo(name, state, enabled, false, "test.bundle 1.0.0", 0, 42L, List.of(),
                name.toUpperCase() + "_CONFIG", null, lastError, lastError == null ? null : Instant.EPOCH,
                lastError == null ? null : lastError + "\n\tat x.Y.run(Y.java:1)", 1, 0, List.of(),
                Duration.ofMillis(5), 0);
    }

    FakeMetaService with(ServiceInfo info) {
        infos.put(info.name(), info);
        return this;
    }

    @Override
    public List<String> serviceNames() {
        return new ArrayList<>(infos.keySet());
    }

    @Override
    public Optional<ServiceInfo> info(String name) {
        return Optional.ofNullable(infos.get(name));
    }

    @Override
    public List<ServiceInfo> infos() {
        return new ArrayList<>(infos.values());
    }

    @Override
    public boolean refresh(String name) {
        ServiceInfo info = infos.get(name);
        if (info == null) {
            return false;
        }
        refreshed.add(name);
        with(withState(info, info.enabled() ? ServiceState.RUNNING : ServiceState.NOT_STARTED));
        return true;
    }

    @Override
    public Optional<ServiceState> start(String name) {
        ServiceInfo info = infos.get(name);
        if (info == null) {
            return Optional.empty();
        }
        if (info.enabled() && info.state() == ServiceState.NOT_STARTED) {
            started.add(name);
            with(withState(info, startResult));
        }
        return Optional.of(infos.get(name).state());
    }

    private static ServiceInfo withState(ServiceInfo i, ServiceState state) {
        return new ServiceInfo(i.name(), state, i.enabled(), i.quiet(), i.bundle(), i.ranking(), i.serviceId(),
                i.fallbacks(), i.configGlob(), i.manifestGlob(), i.lastError(), i.lastErrorTime(),
                i.lastErrorDetail(), i.startCount(), i.resetCount(), i.daemons(), i.lastStartDuration(),
                i.outstanding());
    }

    @Override
    public Set<String> configNames() {
        return Set.of();
    }

    // ---------------------------------------------------------------- not used by the console

    @Override
    public CommonService<?> buildService(String name, boolean background, Hook hook) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CommonService<?> getService(String name, Hook hook) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void release(CommonService<?> service) {
        throw new UnsupportedOperationException();
    }

    @Override
    public ServiceRegistration<?> addServiceBuilder(BundleContext owner, String name,
            Supplier<? extends CommonService<?>> supplier) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void addContext(String name, Class<?> type, Object... args) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Class<?> getContext(String name) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Object buildContext(String name, Object... args) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Hook buildHook() {
        throw new UnsupportedOperationException();
    }

    @Override
    public Object buildMaster(Object... args) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Object buildSuperMaster(Object... args) {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean isAutomated() {
        return false;
    }
}
