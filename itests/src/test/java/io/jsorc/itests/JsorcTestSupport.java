package io.jsorc.itests;

import static org.awaitility.Awaitility.await;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.CoreOptions.when;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.keepRuntimeFolder;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.logLevel;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

import javax.inject.Inject;

import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.awaitility.core.ConditionTimeoutException;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.karaf.options.LogLevelOption.LogLevel;
import org.osgi.framework.BundleContext;

/**
 * Base of the Pax Exam ITs: boots OUR distribution (the tar.gz the build just made, path in system property
 * {@code jsorc.assembly}) once per test class, with every listening port moved to a free one, and runs
 * console commands in-process.
 *
 * <p>Subclasses use {@code @RunWith(PaxExam.class)} and {@code @ExamReactorStrategy(PerClass.class)}.
 * {@code -Djsorc.itest.keep=true} keeps {@code target/exam/<uuid>} (etc/, data/log/karaf.log) for debugging.
 */
public abstract class JsorcTestSupport {

    /** Symbolic names of the bundles feature {@code jsorc} must bring up. */
    protected static final String[] JSORC_BUNDLES = {"io.jsorc.api", "io.jsorc.meta", "io.jsorc.globs", "io.jsorc.shell",
        "io.jsorc.loop", "io.jsorc.http", "io.jsorc.webconsole"};

    protected static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);

    @Inject
    protected BundleContext bundleContext;

    @Inject
    protected SessionFactory sessionFactory;

    @Configuration
    public Option[] config() {
        String assembly = requiredProperty("jsorc.assembly");
        // chosen here, in the test driver, before Karaf starts
        int[] ports = FreePorts.pick(4);
        return new Option[] {
            karafDistributionConfiguration()
                    .frameworkUrl(new File(assembly).toURI().toString())
                    .karafVersion("4.4.10")
                    .name("JsOrc")
                    .useDeployFolder(false)
                    .unpackDirectory(new File("target/exam")),
            configureConsole().ignoreLocalConsole(),
            logLevel(LogLevel.INFO),
            when(Boolean.getBoolean("jsorc.itest.keep")).useOptions(keepRuntimeFolder()),
            // resolve the Pax Exam probe bundles and our SNAPSHOTs from the build's own local repository
            editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.localRepository",
                    requiredProperty("maven.repo.local")),
            editConfigurationFilePut("etc/org.apache.karaf.shell.cfg", "sshPort", Integer.toString(ports[0])),
            editConfigurationFilePut("etc/org.ops4j.pax.web.cfg", "org.osgi.service.http.port", Integer.toString(ports[1])),
            editConfigurationFilePut("etc/org.apache.karaf.management.cfg", "rmiRegistryPort", Integer.toString(ports[2])),
            editConfigurationFilePut("etc/org.apache.karaf.management.cfg", "rmiServerPort", Integer.toString(ports[3])),
            systemProperty("project.version").value(requiredProperty("project.version")),
            // Awaitility for bounded polls inside Karaf (versions from META-INF/maven/dependencies.properties)
            mavenBundle().groupId("org.hamcrest").artifactId("hamcrest").versionAsInProject(),
            mavenBundle().groupId("org.awaitility").artifactId("awaitility").versionAsInProject(),
        };
    }

    /**
     * Runs one console command line as the local console would and returns what it printed (stdout and
     * stderr together). A command that throws makes the test fail with its output and the exception.
     */
    protected String executeCommand(String command) {
        awaitCommandRegistered(command);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> new Thread(r, "itest-command"));
        try (Session session = sessionFactory.create(new ByteArrayInputStream(new byte[0]), out, out)) {
            Future<Object> result = executor.submit(() -> session.execute(command));
            try {
                Object value = result.get(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                if (value != null) {
                    // commands that return a value instead of printing it (the console would print it)
                    out.println(value);
                }
            } catch (TimeoutException e) {
                result.cancel(true);
                throw new AssertionError("'" + command + "' did not finish within " + COMMAND_TIMEOUT.toSeconds()
                        + " s; printed so far:\n" + bytes.toString(StandardCharsets.UTF_8), e);
            } catch (Exception e) {
                throw new AssertionError("'" + command + "' failed; printed:\n" + bytes.toString(StandardCharsets.UTF_8), e);
            }
        } finally {
            executor.shutdownNow();
        }
        out.flush();
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /**
     * Waits (bounded) until the command a line starts with ({@code scope:name}) is registered: the shell registers a
     * bundle's commands on its own thread after the bundle started, so a test that only waited for our services can
     * otherwise run a {@code jsorc:} command a moment too early ("Command not found", seen once in a clean CI run).
     */
    private void awaitCommandRegistered(String command) {
        String first = command.strip().split("\\s+", 2)[0];
        int colon = first.indexOf(':');
        if (colon <= 0) {
            return;
        }
        String scope = first.substring(0, colon);
        String name = first.substring(colon + 1);
        await("command " + first + " registered").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> sessionFactory.getRegistry().getCommand(scope, name) != null);
    }

    /**
     * Runs {@code command} until its output satisfies {@code expectation} (a failing command counts as not yet),
     * at most {@code timeout}; on timeout the assertion names the expectation and shows the last output.
     */
    protected String awaitCommandOutput(String command, String expectation, Predicate<String> check, Duration timeout) {
        AtomicReference<String> last = new AtomicReference<>("(no output yet)");
        try {
            await("`" + command + "` prints " + expectation)
                    .atMost(timeout)
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> {
                        try {
                            last.set(executeCommand(command));
                        } catch (AssertionError e) {
                            last.set(e.getMessage() + (e.getCause() == null ? "" : "\n" + e.getCause()));
                            return false;
                        }
                        return check.test(last.get());
                    });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("`" + command + "` did not print " + expectation + " within " + timeout.toSeconds()
                    + " s; last output:\n" + last.get(), e);
        }
        return last.get();
    }

    /**
     * A command Karaf's command ACL reserves to admins ({@code feature:*}): run as a subject with the admin role, as
     * an ssh or console login would be (the session of a test has none, and Karaf then hides such commands).
     */
    protected String asAdmin(String command) throws Exception {
        javax.security.auth.Subject subject = new javax.security.auth.Subject();
        subject.getPrincipals().add(new org.apache.karaf.jaas.boot.principal.UserPrincipal("itest"));
        subject.getPrincipals().add(new org.apache.karaf.jaas.boot.principal.RolePrincipal("admin"));
        return javax.security.auth.Subject.doAs(subject,
                (java.security.PrivilegedExceptionAction<String>) () -> executeCommand(command));
    }

    private static String requiredProperty(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + name + " is not set: run the ITs through Maven (failsafe)");
        }
        return value;
    }
}
