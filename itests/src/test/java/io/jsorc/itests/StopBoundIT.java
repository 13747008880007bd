package io.jsorc.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.jsorc.api.MetaService;
import io.jsorc.api.ServiceInfo;
import io.jsorc.api.ServiceState;
import io.jsorc.itests.hang.HangActivator;
import io.jsorc.itests.hang.HangingCloseService;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;

/**
 * Defect 7: {@code bundle:stop} of a service bundle whose {@code closeApp} hangs returns within its bound, for a
 * hang that reacts to interrupt (no thread is left) and for one that ignores it (the thread is abandoned and
 * logged once with its stack).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class StopBoundIT extends JsorcTestSupport {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    protected MetaService meta;

    private Bundle install(String mode) throws Exception {
        Bundle bundle = bundleContext.installBundle("itest:hang-" + mode, TestBundles.build(Map.of(
                "Bundle-SymbolicName", "itest.hang." + mode,
                "Bundle-Version", "1.0.0",
                "Bundle-Activator", HangActivator.class.getName(),
                "Hang-Mode", mode,
                "Import-Package", "io.jsorc.api;version=\"[1.0,2)\",org.osgi.framework"),
                HangActivator.class, HangingCloseService.class));
        bundle.start();
        await("hang_" + mode + " RUNNING").atMost(WAIT).until(() -> meta.info("hang_" + mode)
                .map(ServiceInfo::state).orElse(null) == ServiceState.RUNNING);
        return bundle;
    }

    private static long stopMillis(Bundle bundle) throws Exception {
        long begin = System.nanoTime();
        bundle.stop();
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
    }

    private static boolean threadAlive(String prefix) {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.isAlive() && t.getName().startsWith(prefix));
    }

    @Test
    public void aCloseAppThatReactsToInterruptIsCutAtTheStopTimeoutAndLeavesNoThread() throws Exception {
        Bundle bundle = install("interruptible");
        try {
            long took = stopMillis(bundle);
            assertTrue("bundle:stop waited for closeApp up to the 2 s stop timeout: " + took + " ms", took >= 1900);
            assertTrue("and returned within its bound: " + took + " ms", took < 10_000);
            assertFalse(meta.serviceNames().contains("hang_interruptible"));
            await("no thread of the service left").atMost(WAIT).until(() -> !threadAlive("jsorc/hang_interruptible/"));
        } finally {
            bundle.uninstall();
        }
    }

    @Test
    public void aCloseAppThatIgnoresInterruptIsAbandonedLoggedOnceAndStopStillReturns() throws Exception {
        System.clearProperty("itest.hang.release");
        Bundle bundle = install("stubborn");
        try {
            long took = stopMillis(bundle);
            assertTrue("bundle:stop returned within its bound: " + took + " ms", took < 10_000);
            assertFalse(meta.serviceNames().contains("hang_stubborn"));
            assertTrue("the thread that ignores its interrupt is left running",
                    threadAlive("jsorc/hang_stubborn/closeApp"));
            Path log = Path.of(System.getProperty("karaf.data"), "log", "karaf.log");
            await("the abandonment logged with its stack").atMost(WAIT).until(() -> {
                String text = Files.readString(log, StandardCharsets.UTF_8);
                return text.contains("Service hang_stubborn (itest.hang.stubborn 1.0.0): closeApp on thread "
                        + "jsorc/hang_stubborn/closeApp ignored its interrupt")
                        && text.contains("at io.jsorc.itests.hang.HangingCloseService.closeApp");
            });
            long warnings = Files.readString(log, StandardCharsets.UTF_8).lines()
                    .filter(l -> l.contains("jsorc/hang_stubborn/closeApp ignored its interrupt")).count();
            assertTrue("logged once: " + warnings, warnings == 1);
        } finally {
            System.setProperty("itest.hang.release", "true");
            await("the abandoned thread ends once released").atMost(WAIT)
                    .until(() -> !threadAlive("jsorc/hang_stubborn/"));
            bundle.uninstall();
        }
    }
}
