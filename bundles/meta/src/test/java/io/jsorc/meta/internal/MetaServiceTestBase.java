package io.jsorc.meta.internal;

import static org.awaitility.Awaitility.await;

import io.jsorc.api.ServiceInfo;
import io.jsorc.api.ServiceState;
import io.jsorc.globs.internal.glob.GlobStoreImpl;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A MetaService without OSGi over the real in-memory glob store, made before and closed after each test. */
abstract class MetaServiceTestBase {

    GlobStoreImpl globs;
    MetaServiceImpl meta;

    @BeforeEach
    void startMeta() {
        globs = new GlobStoreImpl();
        meta = newMeta(globs);
    }

    /** The MetaService under test: by default one that knows no built-in services. */
    MetaServiceImpl newMeta(GlobStoreImpl store) {
        return new MetaServiceImpl(store, (owner, name, supplier) -> null);
    }

    @AfterEach
    void stopMeta() {
        meta.close();
        globs.close();
    }

    void awaitState(String name, ServiceState state) {
        await("service " + name + " to be " + state).atMost(Duration.ofSeconds(15))
                .until(() -> meta.info(name).map(ServiceInfo::state).orElse(null) == state);
    }
}
