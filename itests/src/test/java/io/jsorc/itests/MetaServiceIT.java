package io.jsorc.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import io.jsorc.api.MetaService;
import io.jsorc.api.ServiceInfo;
import io.jsorc.api.ServiceState;
import io.jsorc.api.event.ServiceStateEvent;
import io.jsorc.api.event.ServiceStateListener;
import io.jsorc.api.event.Topics;
import io.jsorc.itests.services.ColorService;
import io.jsorc.itests.services.HangingService;
import io.jsorc.itests.services.Prototype;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

/** MetaService inside our distribution: tracking, ranking, timeouts, refresh, events, hot deploy. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class MetaServiceIT extends JsorcTestSupport {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    protected MetaService meta;

    @Override
    @Configuration
    public Option[] config() {
        Option[] base = super.config();
        Option[] all = Arrays.copyOf(base, base.length + 1);
        all[base.length] = systemProperty("jsorc.stripe.jar")
                .value(new File(System.getProperty("jsorc.stripe.jar", "")).getAbsolutePath());
        return all;
    }

    private ServiceState state(String name) {
        return meta.info(name).map(ServiceInfo::state).orElse(null);
    }

    private void awaitState(String name, ServiceState expected) {
        await("service " + name + " " + expected).atMost(WAIT).until(() -> state(name) == expected);
    }

    private static boolean threadAlive(String prefix) {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.isAlive() && t.getName().startsWith(prefix));
    }

    private static boolean threadOfLoaderAlive(ClassLoader loader) {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.isAlive() && t.getContextClassLoader() == loader);
    }

    @Test
    public void stripeJarInDeployIsTrackedRefreshedStoppedRestartedAndRemovedCleanly() throws Exception {
        Path deployed = Path.of(System.getProperty("karaf.base"), "deploy", "jsorc-example-stripe.jar");
        Files.copy(Path.of(System.getProperty("jsorc.stripe.jar")), deployed, StandardCopyOption.REPLACE_EXISTING);
        awaitCommandOutput("jsorc:service-list", "a stripe row", out -> out.contains("stripe"), WAIT);
        assertEquals(ServiceState.NOT_STARTED, state("stripe"));

        executeCommand("jsorc:config-set STRIPE_CONFIG '{\"enabled\":true,\"key\":\"sk_test_it\"}'");
        assertEquals("set alone restarts nothing", ServiceState.NOT_STARTED, state("stripe"));
        executeCommand("jsorc:service-refresh stripe");
        awaitState("stripe", ServiceState.RUNNING);
        assertTrue(threadAlive("jsorc/stripe/"));

        Bundle bundle = Arrays.stream(bundleContext.getBundles())
                .filter(b -> "io.jsorc.example-stripe".equals(b.getSymbolicName())
                        || String.valueOf(b.getSymbolicName()).contains("stripe"))
                .findFirst().orElseThrow();
        ClassLoader loader = bundle.adapt(BundleWiring.class).getClassLoader();
        bundle.stop();
        assertFalse("stopped bundle leaves the list", meta.serviceNames().contains("stripe"));
        assertFalse(threadAlive("jsorc/stripe/"));
        assertFalse(threadOfLoaderAlive(loader));

        bundle.start();
        awaitState("stripe", ServiceState.RUNNING);

        Files.delete(deployed);
        await("stripe gone after its jar was deleted").atMost(WAIT)
                .until(() -> !meta.serviceNames().contains("stripe"));
        await("no jsorc/stripe/ thread and no thread of its class loader").atMost(WAIT)
                .until(() -> !threadAlive("jsorc/stripe/") && !threadOfLoaderAlive(loader));
    }

    @Test
    public void higherRankingOverridesAndTheFallbackTakesOver() {
        ServiceRegistration<?> low = Prototype.register(bundleContext, "rank", 0, 30, () -> new ColorService("low"));
        await().atMost(WAIT).until(() -> "low:red".equals(app("rank")));
        ServiceRegistration<?> high = Prototype.register(bundleContext, "rank", 10, 30, () -> new ColorService("high"));
        await("high wins").atMost(WAIT).until(() -> "high:red".equals(app("rank")));
        ServiceInfo info = meta.info("rank").orElseThrow();
        assertEquals(10, info.ranking());
        assertEquals(1, info.fallbacks().size());
        String printed = executeCommand("jsorc:service-info rank");
        assertTrue(printed, printed.contains("ranking=0"));
        high.unregister();
        await("fallback takes over, running").atMost(WAIT).until(() -> "low:red".equals(app("rank")));
        low.unregister();
        await().atMost(WAIT).until(() -> !meta.serviceNames().contains("rank"));
    }

    @Test
    public void hungRunTimesOutWhileServiceListKeepsAnswering() {
        ServiceRegistration<?> registration = Prototype.register(bundleContext, "hang", 0, 3, HangingService::new);
        try {
            awaitState("hang", ServiceState.STARTED);
            String list = executeCommand("jsorc:service-list");
            assertTrue(list, list.contains("hang") && list.contains("STARTED"));
            awaitState("hang", ServiceState.FAILED);
            ServiceInfo info = meta.info("hang").orElseThrow();
            assertTrue(info.lastError(), info.lastError().contains("run did not finish within 3 s"));
            assertTrue(info.lastErrorDetail(), info.lastErrorDetail().contains("HangingService.run"));
        } finally {
            HangingService.RELEASE.countDown();
            registration.unregister();
        }
    }

    @Test
    public void setThenRefreshChangesARunningService() {
        ServiceRegistration<?> registration = Prototype.register(bundleContext, "paint", 0, 30,
                () -> new ColorService("paint"));
        try {
            await().atMost(WAIT).until(() -> "paint:red".equals(app("paint")));
            executeCommand("jsorc:config-set PAINT_CONFIG '{\"enabled\":true,\"color\":\"blue\"}'");
            assertEquals("paint:red", app("paint"));
            executeCommand("jsorc:service-refresh paint");
            await().atMost(WAIT).until(() -> "paint:blue".equals(app("paint")));
        } finally {
            registration.unregister();
        }
    }

    @Test
    public void stateEventsArriveInOrderToListenersAndEventAdmin() {
        List<String> heard = new CopyOnWriteArrayList<>();
        List<String> topics = new CopyOnWriteArrayList<>();
        ServiceRegistration<ServiceStateListener> listener = bundleContext.registerService(ServiceStateListener.class,
                (ServiceStateEvent e) -> {
                    if (e.name().equals("evt")) {
                        heard.add(e.from() + ">" + e.to());
                    }
                }, null);
        Hashtable<String, Object> handlerProps = new Hashtable<>();
        handlerProps.put(EventConstants.EVENT_TOPIC, Topics.SERVICE_ALL);
        ServiceRegistration<EventHandler> handler = bundleContext.registerService(EventHandler.class, event -> {
            if ("evt".equals(event.getProperty("name"))) {
                topics.add(event.getTopic());
            }
        }, handlerProps);
        ServiceRegistration<?> registration = Prototype.register(bundleContext, "evt", 0, 30, () -> new ColorService("e"));
        try {
            awaitState("evt", ServiceState.RUNNING);
            assertTrue(meta.refresh("evt"));
            List<String> expected = List.of("NOT_STARTED>STARTED", "STARTED>RUNNING", "RUNNING>NOT_STARTED",
                    "NOT_STARTED>STARTED", "STARTED>RUNNING");
            await("five events").atMost(WAIT).until(() -> heard.size() >= 5 && topics.size() >= 5);
            assertEquals(expected, new ArrayList<>(heard.subList(0, 5)));
            assertEquals(List.of("jsorc/service/STARTED", "jsorc/service/RUNNING", "jsorc/service/NOT_STARTED",
                    "jsorc/service/STARTED", "jsorc/service/RUNNING"), new ArrayList<>(topics.subList(0, 5)));
        } finally {
            registration.unregister();
            listener.unregister();
            handler.unregister();
        }
    }

    @Test
    public void consoleWritesAndRefreshesArePostedAsAuditEvents() {
        List<org.osgi.service.event.Event> audits = new CopyOnWriteArrayList<>();
        Hashtable<String, Object> handlerProps = new Hashtable<>();
        handlerProps.put(EventConstants.EVENT_TOPIC, io.jsorc.api.config.AuditEntry.TOPIC_ALL);
        ServiceRegistration<EventHandler> handler = bundleContext.registerService(EventHandler.class, event -> {
            if ("AUDIT_IT".equals(event.getProperty("target")) || "meta".equals(event.getProperty("target"))) {
                audits.add(event);
            }
        }, handlerProps);
        try {
            executeCommand("jsorc:config-set --no-check AUDIT_IT '{\"token\":\"tk-audit-it\",\"n\":1}'");
            executeCommand("jsorc:config-delete --no-check AUDIT_IT");
            executeCommand("jsorc:service-refresh meta");
            await("three audit events").atMost(WAIT).until(() -> audits.size() >= 3);
            assertEquals(List.of("jsorc/audit/CONFIG_SET", "jsorc/audit/CONFIG_DELETE", "jsorc/audit/SERVICE_REFRESH"),
                    audits.stream().map(org.osgi.service.event.Event::getTopic).toList());
            assertEquals("console", audits.get(0).getProperty("origin.source"));
            assertEquals("{\"token\":\"********\",\"n\":1}", audits.get(0).getProperty("value"));
            assertEquals("a delete records the revision it deleted", audits.get(0).getProperty("revision"),
                    audits.get(1).getProperty("revision"));
        } finally {
            handler.unregister();
        }
    }

    @Test
    public void aRegistrationThatIsNotPrototypeScopedIsRefused() {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put("jsorc.service.name", "single");
        ServiceRegistration<?> single = bundleContext.registerService(io.jsorc.api.CommonService.class.getName(),
                new ColorService("single"), properties);
        ServiceRegistration<?> after = Prototype.register(bundleContext, "after", 0, 30, () -> new ColorService("a"));
        try {
            await("the later, valid registration to be listed").atMost(WAIT)
                    .until(() -> meta.serviceNames().contains("after"));
            assertFalse(meta.serviceNames().contains("single"));
        } finally {
            single.unregister();
            after.unregister();
        }
    }

    @Test
    public void aBundleThatEmbeddedItsOwnCopyOfTheApiIsRefused() throws Exception {
        Bundle embedded = bundleContext.installBundle("itest:embedded-api", EmbeddedApiBundle.build(bundleContext));
        embedded.start();
        ServiceRegistration<?> after = Prototype.register(bundleContext, "after2", 0, 30, () -> new ColorService("a"));
        try {
            assertTrue("the copy registered its service",
                    bundleContext.getAllServiceReferences(null, "(jsorc.service.name=embedded)") != null);
            await("the later, valid registration to be listed").atMost(WAIT)
                    .until(() -> meta.serviceNames().contains("after2"));
            assertFalse(meta.serviceNames().contains("embedded"));
        } finally {
            after.unregister();
            embedded.uninstall();
        }
    }

    @Test
    public void aContextIsDroppedWhenTheBundleOfItsClassStops() throws Exception {
        Bundle owner = bundleContext.installBundle(
                new File(System.getProperty("jsorc.stripe.jar")).toURI().toString() + "#context-owner");
        try {
            owner.start();
            Class<?> type = owner.loadClass("io.jsorc.example.stripe.StripeService");
            meta.addContext("owned", type);
            meta.addContext("mine", ColorService.class, "kept");
            assertEquals(type, meta.getContext("owned"));
            owner.stop();
            assertEquals(null, meta.getContext("owned"));
            assertEquals("a context of another bundle stays", ColorService.class, meta.getContext("mine"));
        } finally {
            owner.uninstall();
        }
    }

    @Test
    public void configCommandsPrintTheOriginalsResults() {
        String index = executeCommand("jsorc:config-index");
        assertTrue(index, index.contains("META_CONFIG"));
        String meta = executeCommand("jsorc:config-get META_CONFIG");
        assertTrue(meta, meta.contains("{\"automation\":false,\"backoff_interval\":10,\"namespace\":\"default\","
                + "\"keep_alive\":[\"promon\",\"redis\",\"task\",\"mail\"],"
                + "\"kubernetes\":{\"in_cluster\":true,\"config\":null},"
                + "\"backoff_max\":300,\"backoff_reset\":600,\"crash_loop_limit\":5,\"crash_loop_window\":600}"));
        String set = executeCommand("jsorc:config-set --no-check SOME_GLOB '[1, 2.0]'");
        assertTrue(set, set.contains("Config of 'SOME_GLOB' to '[1,2.0]' set!"));
        assertTrue(executeCommand("jsorc:config-exists SOME_GLOB").contains("true"));
        AssertionError refused = null;
        try {
            executeCommand("jsorc:config-set SOME_GLOB '[1, 2.0]'");
        } catch (AssertionError e) {
            refused = e;
        }
        assertTrue("config-set without --no-check refuses an unknown name", refused != null
                && (String.valueOf(refused.getMessage()) + refused.getCause()).contains("not recognized"));
        assertTrue(executeCommand("jsorc:config-delete --no-check SOME_GLOB").contains("SOME_GLOB Deleted."));
        assertTrue(executeCommand("jsorc:config-exists SOME_GLOB").contains("false"));
    }

    private Object app(String name) {
        io.jsorc.api.CommonService<?> service = meta.getService(name, null);
        return service == null ? null : service.getApp();
    }
}
