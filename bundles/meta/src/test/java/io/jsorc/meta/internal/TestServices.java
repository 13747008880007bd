package io.jsorc.meta.internal;

import io.jsorc.api.CommonService;
import io.jsorc.api.Hook;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/** Services used by the MetaService tests. */
final class TestServices {

    private static final AtomicInteger IDS = new AtomicInteger(1000);

    /** Every app a test service built, and whether it was closed. */
    static final List<App> APPS = new CopyOnWriteArrayList<>();

    private TestServices() {
    }

    static ServiceSource source(String name, int ranking, Supplier<? extends CommonService<?>> factory) {
        return source(name, ranking, 30, factory);
    }

    static ServiceSource source(String name, int ranking, int timeout, Supplier<? extends CommonService<?>> factory) {
        return new ServiceSource(name, IDS.incrementAndGet(), ranking, "test.bundle." + ranking,
                name.toUpperCase() + "_CONFIG", null, timeout, factory, instance -> { });
    }

    /** An app that knows whether it was closed. */
    static final class App implements AutoCloseable {
        final String owner;
        volatile boolean closed;
        final ClassLoader contextLoader = Thread.currentThread().getContextClassLoader();

        App(String owner) {
            this.owner = owner;
            APPS.add(this);
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    /** Reads {@code <NAME>_CONFIG} with {"enabled": true} by default; builds an App. */
    static class Simple extends CommonService<App> {
        final String tag;

        Simple(String tag) {
            this.tag = tag;
        }

        @Override
        protected Map<String, Object> buildConfig(Hook hook) {
            Map<String, Object> defaults = new LinkedHashMap<>();
            defaults.put("enabled", true);
            return hook.serviceGlob(serviceName().toUpperCase() + "_CONFIG", defaults);
        }

        @Override
        protected App run(Hook hook) {
            return new App(tag);
        }
    }

    /** A service whose run blocks until released (or interrupted, when it ignores that only if told to). */
    static final class Hanging extends Simple {
        static final CountDownLatch RELEASE = new CountDownLatch(1);

        Hanging() {
            super("hanging");
        }

        @Override
        protected App run(Hook hook) {
            while (true) {
                try {
                    RELEASE.await();
                    return new App(tag);
                } catch (InterruptedException e) {
                    // a badly written service: ignores the interrupt and keeps waiting
                }
            }
        }
    }
}
