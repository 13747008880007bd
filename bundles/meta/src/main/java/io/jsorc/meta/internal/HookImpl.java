package io.jsorc.meta.internal;

import io.jsorc.api.CommonService;
import io.jsorc.api.Hook;
import io.jsorc.api.MetaService;
import io.jsorc.api.config.GlobStore;
import io.jsorc.api.config.Origin;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The hook MetaService hands to services: glob access through the one write path of the {@link GlobStore}, and
 * services by name (a never-running proxy for an unknown one). Thread-safe; holds no state of its own.
 */
final class HookImpl implements Hook {

    private final MetaService meta;
    private final GlobStore globs;
    private final String actor;

    HookImpl(MetaService meta, GlobStore globs, String actor) {
        this.meta = meta;
        this.globs = globs;
        this.actor = actor;
    }

    @Override
    public Map<String, Object> serviceGlob(String name, Map<String, ?> defaults) {
        return globs.serviceGlob(name, defaults, Origin.local(actor, "default"));
    }

    @Override
    public Object getGlob(String name) {
        return globs.get(name).map(value -> value.value()).orElse(null);
    }

    @Override
    public boolean hasGlob(String name) {
        return globs.exists(name);
    }

    @Override
    public void saveGlob(String name, Object value) {
        globs.setValue(name, value, GlobStore.ANY_REVISION, Origin.local(actor, "service"));
    }

    @Override
    public boolean destroyGlob(String name) {
        return globs.delete(name, GlobStore.ANY_REVISION, Origin.local(actor, "service")) != 0;
    }

    @Override
    public List<String> listGlobs() {
        return globs.list();
    }

    @Override
    public CommonService<?> service(String name) {
        CommonService<?> service = meta.getService(name, this);
        return service != null ? service : CommonService.proxy(name);
    }

    @Override
    public <T> Optional<T> app(String name, Class<T> type) {
        CommonService<?> service = meta.getService(name, this);
        Object app = service == null || !service.isRunning() ? null : service.getApp();
        return type.isInstance(app) ? Optional.of(type.cast(app)) : Optional.empty();
    }

    @Override
    public MetaService meta() {
        return meta;
    }
}
