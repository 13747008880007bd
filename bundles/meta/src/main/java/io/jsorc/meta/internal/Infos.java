package io.jsorc.meta.internal;

import io.jsorc.api.CommonService;
import io.jsorc.api.ServiceInfo;
import io.jsorc.api.ServiceProperties;
import io.jsorc.api.ServiceState;
import io.jsorc.api.runtime.InstanceControl;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Snapshots of services as {@link ServiceInfo}: built from a slot's registrations and its background instance. */
final class Infos {

    /** The {@link ServiceInfo} values, as a record. */
    record Info(String name, ServiceState state, boolean enabled, boolean quiet, String bundle, int ranking,
            long serviceId, List<String> fallbacks, String configGlob, String manifestGlob, String lastError,
            Instant lastErrorTime, String lastErrorDetail, int startCount, int resetCount, List<String> daemons,
            Duration lastStartDuration, int outstanding, Duration startTimeout, Duration stopTimeout,
            boolean awaitingAutomation, List<String> abandonedThreads) implements ServiceInfo {
    }

    private Infos() {
    }

    /** The snapshot of one slot (its registrations read once), or null when it has none. */
    static ServiceInfo of(String name, ServiceTable.Slot slot, boolean automationLooksAfter, int outstanding) {
        List<ServiceSource> sources = slot.sources;
        if (sources.isEmpty()) {
            return null;
        }
        ServiceSource winner = sources.get(0);
        List<String> fallbacks = new ArrayList<>();
        for (ServiceSource source : sources.subList(1, sources.size())) {
            fallbacks.add(source.label());
        }
        slot.lingering.removeIf(entry -> !entry.running().getAsBoolean());
        List<String> abandoned = new ArrayList<>();
        slot.lingering.forEach(entry -> abandoned.add(entry.describe()));
        Instance instance = slot.background;
        if (instance != null) {
            instance.abandonedThreads().forEach(entry -> abandoned.add(entry.describe()));
        }
        if (instance == null) {
            return new Info(name, ServiceState.NOT_STARTED, false, false, winner.bundle(), winner.ranking(),
                    winner.id(), List.copyOf(fallbacks), winner.configGlob(), winner.manifestGlob(), null, null, null,
                    0, 0, List.of(), null, outstanding, winner.startTimeout(), winner.stopTimeout(),
                    automationLooksAfter, List.copyOf(abandoned));
        }
        CommonService<?> service = instance.service();
        InstanceControl<?> control = instance.control();
        ServiceSource source = instance.source();
        return new Info(name, service.getState(), service.isEnabled(), service.isQuiet(), source.bundle(),
                source.ranking(), source.id(), List.copyOf(fallbacks), source.configGlob(), source.manifestGlob(),
                service.getLastError(), service.getLastErrorTime(), control.lastErrorDetail(), control.startCount(),
                control.resetCount(), service.getDaemons(), control.lastStartDuration(), outstanding,
                source.startTimeout(), source.stopTimeout(),
                automationLooksAfter && service.getState() != ServiceState.RUNNING, List.copyOf(abandoned));
    }

    /** The {@code meta} row; {@code note} (or null) is shown as its last error. */
    static ServiceInfo meta(String bundle, boolean running, int refreshes, String note) {
        return new Info(ServiceProperties.META, running ? ServiceState.RUNNING : ServiceState.NOT_STARTED, true, false,
                bundle, 0, 0, List.of(), ServiceProperties.META_CONFIG, null, note, null, null, 1, refreshes,
                List.of(), null, 0, Duration.ZERO, Duration.ZERO, false, List.of());
    }
}
