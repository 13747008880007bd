package io.jsorc.meta.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jsorc.api.CommonService;
import io.jsorc.api.ServiceInfo;
import io.jsorc.api.ServiceProperties;
import io.jsorc.api.ServiceState;
import io.jsorc.api.event.ServiceStateEvent;
import io.jsorc.globs.internal.glob.GlobStoreImpl;
import io.jsorc.meta.internal.TestServices.App;
import io.jsorc.meta.internal.TestServices.Simple;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.felix.framework.FrameworkFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.PrototypeServiceFactory;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.launch.Framework;

/**
 * MetaService fed by a real OSGi service registry (an embedded Felix framework; a mock registry lacks prototype
 * scope, ranking changes and {@code isAssignableTo}): arrivals, ranking changes, departures, refusals, and the
 * order of activation.
 */
class RegistrationTrackerTest {

    @TempDir
    Path storage;
    Framework framework;
    BundleContext context;
    GlobStoreImpl globs;
    MetaServiceImpl meta;
    final List<ServiceStateEvent> events = new CopyOnWriteArrayList<>();
    final AtomicInteger ungets = new AtomicInteger();

    @BeforeEach
    void start() throws Exception {
        framework = new FrameworkFactory().newFramework(Map.of(Constants.FRAMEWORK_STORAGE, storage.toString(),
                Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT));
        framework.start();
        context = framework.getBundleContext();
        globs = new GlobStoreImpl();
    }

    /** MetaService as DS activates it: constructor, then the bound listener, then {@code open}. */
    void activateMeta() {
        meta = new MetaServiceImpl(context, globs);
        meta.addStateListener(events::add);
        meta.open();
    }

    @AfterEach
    void stop() throws Exception {
        if (meta != null) {
            meta.close();
        }
        globs.close();
        framework.stop();
        framework.waitForStop(10_000);
    }

    /** The properties {@link #register} gives: name, ranking, a 1 s stop timeout. */
    static Hashtable<String, Object> properties(String name, int ranking) {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(ServiceProperties.SERVICE_NAME, name);
        properties.put(Constants.SERVICE_RANKING, ranking);
        properties.put(ServiceProperties.SERVICE_STOP_TIMEOUT, 1);
        return properties;
    }

    ServiceRegistration<?> register(String name, int ranking, Supplier<CommonService<?>> factory) {
        Hashtable<String, Object> properties = properties(name, ranking);
        return context.registerService(CommonService.class.getName(), new PrototypeServiceFactory<Object>() {
            @Override
            public Object getService(Bundle bundle, ServiceRegistration<Object> registration) {
                return factory.get();
            }

            @Override
            public void ungetService(Bundle bundle, ServiceRegistration<Object> registration, Object service) {
                ungets.incrementAndGet();
            }
        }, properties);
    }

    String running(String name) {
        await(name + " RUNNING").atMost(Duration.ofSeconds(10))
                .until(() -> meta.info(name).map(ServiceInfo::state).orElse(null) == ServiceState.RUNNING);
        return ((Simple) meta.getService(name, null)).tag;
    }

    /** Defect 5: services registered before MetaService activated are tracked only once listeners are bound. */
    @Test
    void noStateEventIsLostToAListenerBoundAtActivation() {
        register("early", 0, () -> new Simple("early"));
        activateMeta();
        running("early");
        await("the early service's events").until(() -> events.size() >= 2);
        assertEquals("NOT_STARTED>STARTED", events.get(0).from() + ">" + events.get(0).to());
    }

    @Test
    void anArrivalIsBuiltStartedAndItsDepartureClosesAndHandsBackItsInstance() {
        activateMeta();
        ServiceRegistration<?> registration = register("svc", 0, () -> new Simple("one"));
        assertEquals("one", running("svc"));
        ServiceInfo info = meta.info("svc").orElseThrow();
        assertEquals("org.apache.felix.framework " + context.getBundle().getVersion(), info.bundle());
        assertEquals(registration.getReference().getProperty(Constants.SERVICE_ID), info.serviceId());
        assertEquals(Duration.ofSeconds(1), info.stopTimeout(), "jsorc.service.stop.timeout is read");
        App app = (App) meta.getService("svc", null).getApp();
        registration.unregister();
        assertTrue(app.closed, "closed before unregister returned");
        assertEquals(1, ungets.get(), "handed back to its registration");
        assertFalse(meta.serviceNames().contains("svc"));
    }

    /** Defect 10: a ranking change re-chooses the winner. */
    @Test
    void aRankingChangeMakesTheHighestRankingWin() {
        activateMeta();
        ServiceRegistration<?> a = register("rank", 0, () -> new Simple("a"));
        assertEquals("a", running("rank"));
        register("rank", 5, () -> new Simple("b"));
        await("b wins").until(() -> "b".equals(((Simple) meta.getService("rank", null)).tag));
        CommonService<?> b = meta.getService("rank", null);
        a.setProperties(properties("rank", 3));
        await("a's new ranking shown").until(() -> meta.info("rank").orElseThrow().fallbacks().get(0)
                .contains("ranking=3"));
        assertTrue(b == meta.getService("rank", null), "a ranking change of a loser replaces nothing");
        a.setProperties(properties("rank", 10));
        await("a wins again after its ranking rose").until(() -> "a".equals(((Simple) meta.getService("rank", null)).tag));
        assertEquals(10, meta.info("rank").orElseThrow().ranking());
        assertTrue(meta.info("rank").orElseThrow().fallbacks().get(0).contains("ranking=5"));
        CommonService<?> winner = meta.getService("rank", null);
        a.setProperties(properties("rank", 11));
        await("the ranking 11 shown").until(() -> meta.info("rank").orElseThrow().ranking() == 11);
        assertTrue(winner == meta.getService("rank", null), "a ranking change is not a departure: same instance");
    }

    @Test
    void anotherPropertyChangeIsADepartureAndANewArrival() {
        activateMeta();
        ServiceRegistration<?> registration = register("moved", 0, () -> new Simple("m"));
        running("moved");
        CommonService<?> before = meta.getService("moved", null);
        Hashtable<String, Object> changed = new Hashtable<>();
        changed.put(ServiceProperties.SERVICE_NAME, "moved");
        changed.put(ServiceProperties.SERVICE_CONFIG, "OTHER_CONFIG");
        registration.setProperties(changed);
        await("the new config glob").until(() -> "OTHER_CONFIG".equals(
                meta.info("moved").map(ServiceInfo::configGlob).orElse(null)));
        running("moved");
        assertTrue(before != meta.getService("moved", null), "a new instance for the new registration properties");
        assertFalse(before.isRunning());
    }

    /** Review finding 12: properties that made a registration invalid, then valid again, bring it back. */
    @Test
    void aRegistrationMadeInvalidAndValidAgainComesBack() {
        activateMeta();
        ServiceRegistration<?> registration = register("back", 0, () -> new Simple("back"));
        running("back");
        registration.setProperties(properties("not valid!", 0));
        await("gone while invalid").until(() -> !meta.serviceNames().contains("back"));
        registration.setProperties(properties("back", 0));
        assertEquals("back", running("back"));
    }

    @Test
    void registrationsThatAreNotPrototypeScopedOrWronglyNamedAreRefused() {
        activateMeta();
        Hashtable<String, Object> single = new Hashtable<>();
        single.put(ServiceProperties.SERVICE_NAME, "dup");
        context.registerService(CommonService.class.getName(), new Simple("singleton"), single);
        Hashtable<String, Object> named = new Hashtable<>();
        named.put(ServiceProperties.SERVICE_NAME, "meta");
        context.registerService(CommonService.class.getName(), new PrototypeServiceFactory<Object>() {
            @Override
            public Object getService(Bundle bundle, ServiceRegistration<Object> registration) {
                return new Simple("meta");
            }

            @Override
            public void ungetService(Bundle bundle, ServiceRegistration<Object> registration, Object service) {
            }
        }, named);
        register("dup", 0, () -> new Simple("prototype"));
        assertEquals("prototype", running("dup"));
        assertEquals(List.of(), meta.info("dup").orElseThrow().fallbacks(), "the singleton was never a candidate");
        assertEquals(ServiceState.RUNNING, meta.info("meta").orElseThrow().state());
        assertEquals(List.of("dup", "meta"), meta.serviceNames());
    }

    /** Defect 7: bundle:stop (unregistering) returns within its bound even when closeApp hangs. */
    @Test
    void aDepartureWithAHangingCloseReturnsWithinItsBound() {
        activateMeta();
        CountDownLatch never = new CountDownLatch(1);
        ServiceRegistration<?> registration = register("slow", 0, () -> new Simple("slow") {
            @Override
            protected void closeApp(App app) throws Exception {
                while (never.getCount() > 0) {
                    try {
                        never.await();
                    } catch (InterruptedException e) {
                        // ignored: the worst kind of closeApp
                    }
                }
            }
        });
        running("slow");
        long begin = System.nanoTime();
        registration.unregister();
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
        assertTrue(took < 10_000, "unregister returned after " + took + " ms");
        assertFalse(meta.serviceNames().contains("slow"));
        assertEquals(1, ungets.get());
        never.countDown(); // let the abandoned closeApp end, so no thread outlives the test
    }

    @Test
    void closingMetaServiceClosesEveryInstance() {
        activateMeta();
        register("x", 0, () -> new Simple("x"));
        running("x");
        App app = (App) meta.getService("x", null).getApp();
        meta.close();
        assertTrue(app.closed);
        meta = null;
    }
}
