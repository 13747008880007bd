package io.jsorc.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;

/**
 * Feature {@code jsorc} as booted by our distribution: a feature per part, their bundles active, the console's
 * meta row, and the internal API seam out of reach of ordinary bundles.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class JsorcFeatureIT extends JsorcTestSupport {

    @Test
    public void everyPartsBundleIsActive() {
        await("bundles " + Arrays.toString(JSORC_BUNDLES) + " ACTIVE")
                .atMost(Duration.ofSeconds(60))
                .until(() -> Arrays.stream(JSORC_BUNDLES).allMatch(name -> state(name) == Bundle.ACTIVE));
    }

    @Test
    public void theBootSetIsOneFeaturePerPart() {
        String installed = executeCommand("feature:list -i");
        for (String feature : List.of("jsorc ", "jsorc-api ", "jsorc-globs ", "jsorc-meta ", "jsorc-shell ", "jsorc-loop ",
                "jsorc-http ", "jsorc-jackson ")) {
            assertTrue(feature + "installed:\n" + installed, installed.lines().anyMatch(l -> l.startsWith(feature)));
        }
    }

    @Test
    public void serviceListShowsMetaRunning() {
        String out = awaitCommandOutput("jsorc:service-list", "the meta row",
                text -> text.replace('│', '|').lines().anyMatch(l -> l.startsWith("meta ")), Duration.ofSeconds(60));
        String meta = out.replace('│', '|').lines().filter(l -> l.startsWith("meta ")).findFirst().orElseThrow();
        assertTrue(meta, meta.matches("meta\\s+\\| RUNNING\\s+\\| true\\s+\\| false \\| io\\.jsorc\\.meta \\S+\\s+\\| -\\s*"));
    }

    /** The seam CommonService <-> MetaService is exported only to importers that name its mandatory attribute. */
    @Test
    public void aBundleImportingTheRuntimeSeamWithoutTheAttributeDoesNotResolve() throws Exception {
        Bundle plain = bundleContext.installBundle("itest:runtime-plain", TestBundles.build(Map.of(
                "Bundle-SymbolicName", "itest.runtime.plain", "Bundle-Version", "1.0.0",
                "Import-Package", "io.jsorc.api.runtime")));
        Bundle friend = bundleContext.installBundle("itest:runtime-friend", TestBundles.build(Map.of(
                "Bundle-SymbolicName", "itest.runtime.friend", "Bundle-Version", "1.0.0",
                "Import-Package", "io.jsorc.api.runtime;jsorc.internal=true")));
        try {
            try {
                plain.start();
                fail("a bundle importing io.jsorc.api.runtime without jsorc.internal=true resolved");
            } catch (BundleException e) {
                assertEquals(BundleException.RESOLVE_ERROR, e.getType());
            }
            friend.start();
            assertEquals(Bundle.ACTIVE, friend.getState());
        } finally {
            plain.uninstall();
            friend.uninstall();
        }
    }

    private int state(String symbolicName) {
        Map<String, Bundle> bySymbolicName = Arrays.stream(bundleContext.getBundles())
                .collect(Collectors.toMap(Bundle::getSymbolicName, Function.identity(), (a, b) -> a));
        Bundle bundle = bySymbolicName.get(symbolicName);
        return bundle == null ? -1 : bundle.getState();
    }
}
