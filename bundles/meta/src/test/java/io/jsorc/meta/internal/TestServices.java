package io.jsorc.meta.internal;

import io.jsorc.api.CommonService;
import io.jsorc.api.Hook;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/** Services and registrations used by the MetaService tests. */
final class TestServices {

    private static final AtomicInteger IDS = new AtomicInteger(1000);

    private TestServices() {
    }

    static ServiceSource source(String name, int ranking, Supplier<? extends CommonService<?>> factory) {
        return source(name, ranking, 30, 10, factory);
    }

    static ServiceSource source(String name, int ranking, int startSeconds, int stopSeconds,
            Supplier<? extends CommonService<?>> factory) {
        return new ServiceSource(name, IDS.incrementAndGet(), ranking, "test.bundle." + ranking,
                name.toUpperCase() + "_CONFIG", null, Duration.ofSeconds(startSeconds), Duration.ofSeconds(stopSeconds),
                factory, instance -> { }, null);
    }

    /** An app that knows whether it was closed and which context class loader built it. */
    static final class App implements AutoCloseable {
        final String owner;
        volatile boolean closed;
        final ClassLoader contextLoader = Thread.currentThread().getContextClassLoader();
        final String thread = Thread.currentThread().getName();

        App(String owner) {
            this.owner = owner;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    /** Reads {@code <NAME>_CONFIG} with {"enabled": true} by default; builds an App; records its runs. */
    static class Simple extends CommonService<App> {
        final String tag;
        final List<App> apps = new CopyOnWriteArrayList<>();
        volatile List<String> startLog;

        Simple(String tag) {
            this.tag = tag;
        }

        Simple(String tag, List<String> startLog) {
            this.tag = tag;
            this.startLog = startLog;
        }

        @Override
        protected Map<String, Object> buildConfig(Hook hook) {
            Map<String, Object> defaults = new LinkedHashMap<>();
            defaults.put("enabled", true);
            return hook.serviceGlob(serviceName().toUpperCase() + "_CONFIG", defaults);
        }

        @Override
        protected App run(Hook hook) throws Exception {
            if (startLog != null) {
                startLog.add(serviceName());
            }
            App app = new App(tag);
            apps.add(app);
            return app;
        }

        /** Lets a test drive the protected self-control methods. */
        void selfReset(Hook hook) {
            reset(hook);
        }

        void selfFail(Throwable error) {
            failed(error);
        }

        Thread daemon(String name, Runnable body) {
            return spawnDaemon(name, body);
        }
    }

    /** A service whose run blocks until released; when {@code ignoreInterrupt}, it keeps waiting on interrupt. */
    static final class Hanging extends Simple {
        final CountDownLatch release = new CountDownLatch(1);
        final boolean ignoreInterrupt;

        Hanging(boolean ignoreInterrupt) {
            super("hanging");
            this.ignoreInterrupt = ignoreInterrupt;
        }

        @Override
        protected App run(Hook hook) throws Exception {
            while (true) {
                try {
                    release.await();
                    return super.run(hook);
                } catch (InterruptedException e) {
                    if (!ignoreInterrupt) {
                        throw e;
                    }
                }
            }
        }
    }
}
