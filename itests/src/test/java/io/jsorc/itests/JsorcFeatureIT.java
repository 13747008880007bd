package io.jsorc.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;

/** Feature {@code jsorc} as booted by our distribution: its bundles run and the console sees {@code meta}. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class JsorcFeatureIT extends JsorcTestSupport {

    @Test
    public void ourFourBundlesAreActive() {
        await("bundles " + Arrays.toString(JSORC_BUNDLES) + " ACTIVE")
                .atMost(Duration.ofSeconds(60))
                .until(() -> Arrays.stream(JSORC_BUNDLES).allMatch(name -> state(name) == Bundle.ACTIVE));
    }

    @Test
    public void serviceListShowsMeta() {
        awaitCommandOutput("jsorc:service-list", "a `meta` row", out -> out.contains("meta"), Duration.ofSeconds(60));
    }

    @Test
    public void bundleListShowsOurBundles() {
        String out = executeCommand("bundle:list -s");
        for (String name : JSORC_BUNDLES) {
            assertTrue("bundle:list shows " + name + ":\n" + out, out.contains(name));
        }
    }

    private int state(String symbolicName) {
        Map<String, Bundle> bySymbolicName = Arrays.stream(bundleContext.getBundles())
                .collect(Collectors.toMap(Bundle::getSymbolicName, Function.identity(), (a, b) -> a));
        Bundle bundle = bySymbolicName.get(symbolicName);
        return bundle == null ? -1 : bundle.getState();
    }
}
