package io.jsorc.globs.internal.glob;

import io.jsorc.api.config.GlobStore;

/** Lets tests of other packages start and stop a memory-only store. */
public final class GlobStoreImplTestAccess {

    private final GlobStoreImpl store = new GlobStoreImpl();

    public GlobStore store() {
        return store;
    }

    public void addTier(io.jsorc.api.spi.GlobTier tier) {
        store.addTier(tier);
    }

    public void addListener(io.jsorc.api.event.GlobListener listener) {
        store.addListener(listener);
    }

    public void schemas(io.jsorc.globs.internal.schema.Schemas schemas) {
        store.setSchemas(schemas);
    }

    public void eventAdmin(org.osgi.service.event.EventAdmin admin) {
        store.setEventAdmin(admin);
    }

    public void stop() {
        store.close();
    }
}
