package io.jsorc.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;

import io.jsorc.api.MetaService;
import io.jsorc.api.ServiceInfo;
import io.jsorc.api.ServiceState;
import java.io.File;
import java.lang.ref.WeakReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.wiring.BundleWiring;

import static org.ops4j.pax.exam.CoreOptions.systemProperty;

/**
 * Defect 1 (a class-loader leak on every redeploy): the Stripe jar is dropped into deploy/, configured, run with
 * its daemon, and deleted again, ten times; afterwards none of the ten class loaders is reachable.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class RedeployLeakIT extends JsorcTestSupport {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int ROUNDS = 10;

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

    @Test
    public void tenRedeploysLeaveNoOldClassLoaderReachable() throws Exception {
        Path deployed = Path.of(System.getProperty("karaf.base"), "deploy", "jsorc-example-stripe.jar");
        executeCommand("jsorc:config-set --no-check STRIPE_CONFIG '{\"enabled\":true,\"key\":\"sk_test_leak\"}'");
        List<WeakReference<ClassLoader>> loaders = new ArrayList<>();
        for (int round = 1; round <= ROUNDS; round++) {
            Files.copy(Path.of(System.getProperty("jsorc.stripe.jar")), deployed, StandardCopyOption.REPLACE_EXISTING);
            int r = round;
            await("round " + r + ": stripe RUNNING").atMost(WAIT).until(() -> meta.info("stripe")
                    .map(ServiceInfo::state).orElse(null) == ServiceState.RUNNING);
            Bundle bundle = stripeBundle().orElseThrow();
            loaders.add(new WeakReference<>(bundle.adapt(BundleWiring.class).getClassLoader()));
            bundle = null;
            Files.delete(deployed);
            await("round " + r + ": stripe gone and its bundle uninstalled").atMost(WAIT)
                    .until(() -> !meta.serviceNames().contains("stripe") && stripeBundle().isEmpty());
        }
        await("the " + ROUNDS + " old class loaders to be collected").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500)).until(() -> {
                    System.gc();
                    return loaders.stream().allMatch(ref -> ref.get() == null);
                });
        assertEquals(0, loaders.stream().filter(ref -> ref.get() != null).count());
    }

    private Optional<Bundle> stripeBundle() {
        return Arrays.stream(bundleContext.getBundles())
                .filter(b -> "io.jsorc.example.stripe".equals(b.getSymbolicName()))
                .findFirst();
    }
}
