package io.jsorc.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * A newcomer's ten minutes: {@code archetype:generate} from the local catalog, {@code mvn package} of what it made
 * (with its own unit test), then its jar dropped into {@code deploy/} of a fresh copy of our distribution: listed,
 * RUNNING after {@code config-set} + {@code service-refresh}, serving, and gone with its threads once deleted.
 * Maven runs as a child process on the reactor's own local repository (offline when the reactor is).
 */
public class ArchetypeIT {

    private static final Duration MAVEN_TIMEOUT = Duration.ofMinutes(5);
    private static final String SERVICE = "greeter";

    private static Path work;
    private static Path project;
    private static KarafDistribution karaf;

    @BeforeClass
    public static void generateAndStart() throws Exception {
        work = Paths.get("target", "archetype-it", Long.toString(System.currentTimeMillis())).toAbsolutePath();
        Files.createDirectories(work);
        // the plugin by its coordinates, not the `archetype:` prefix of the README: resolving a prefix needs the
        // plugin group's metadata, which an offline build may not have
        KarafDistribution.Result generate = maven(work, "org.apache.maven.plugins:maven-archetype-plugin:"
                + System.getProperty("archetype.version") + ":generate", "-DarchetypeCatalog=local",
                "-DarchetypeGroupId=io.jsorc", "-DarchetypeArtifactId=jsorc-service-archetype",
                "-DarchetypeVersion=" + System.getProperty("project.version"),
                "-DgroupId=org.example", "-DartifactId=greeter-service", "-Dpackage=org.example.greeter");
        assertTrue("archetype:generate: " + generate, generate.ok());
        project = work.resolve("greeter-service");

        Path assembly = Paths.get(System.getProperty("jsorc.assembly", "target/jsorc-assembly.tar.gz"));
        karaf = KarafDistribution.unpack(assembly, work.resolve("karaf"));
        karaf.start(false);
        // Karaf up before the child Maven builds: the two do not compete for the 2 cores while Karaf boots
        karaf.awaitClient("admin", adminPassword(), "jsorc:service-list");
    }

    private static String adminPassword() throws IOException {
        return Files.readString(karaf.home().resolve("etc/admin.password"), StandardCharsets.UTF_8).trim();
    }

    @AfterClass
    public static void stopIt() throws Exception {
        if (karaf != null) {
            karaf.close();
            Path log = karaf.home().resolve("data/log/karaf.log");
            if (Files.exists(log)) {       // kept for a failure's post-mortem; the copy under work/ goes below
                Files.copy(log, Paths.get("target", "ArchetypeIT-karaf.log"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        if (work != null && !Boolean.getBoolean("jsorc.itest.keep")) {
            try (Stream<Path> paths = Files.walk(work)) {
                for (Path path : (Iterable<Path>) paths.sorted(java.util.Comparator.reverseOrder())::iterator) {
                    Files.deleteIfExists(path);
                }
            }
        }
    }

    /** What an author's IDE shows: mvn install put the sources and javadoc of the API and the test kit next to them. */
    @Test
    public void theApiAndTheTestKitAreInstalledWithSourcesAndJavadoc() throws Exception {
        String version = System.getProperty("project.version");
        for (String artifact : List.of("jsorc-api", "jsorc-api-testkit")) {
            Path dir = Paths.get(System.getProperty("maven.repo.local"), "io", "jsorc", artifact, version);
            for (String classifier : List.of("sources", "javadoc")) {
                Path jar = dir.resolve(artifact + "-" + version + "-" + classifier + ".jar");
                assertTrue(jar + " installed", Files.isRegularFile(jar));
            }
        }
        Path javadoc = Paths.get(System.getProperty("maven.repo.local"), "io", "jsorc", "jsorc-api", version,
                "jsorc-api-" + version + "-javadoc.jar");
        try (var zip = new java.util.zip.ZipFile(javadoc.toFile())) {
            String page = new String(zip.getInputStream(zip.getEntry("io/jsorc/api/CommonService.html")).readAllBytes(),
                    StandardCharsets.UTF_8);
            assertTrue("CommonService's javadoc states the threading contract of run",
                    page.contains("jsorc/&lt;service&gt;/run") && page.contains("Context class loader:"));
        }
    }

    @Test
    public void theGeneratedServiceBuildsDeploysRunsAndLeavesNoThreadWhenDeleted() throws Exception {
        assertTrue("generated " + project.resolve("src/main/java/org/example/greeter/GreeterService.java"),
                Files.isRegularFile(project.resolve("src/main/java/org/example/greeter/GreeterService.java")));
        String readme = Files.readString(project.resolve("README.md"));
        assertTrue("generated README says how to deploy:\n" + readme,
                readme.contains("\n## Deploy\n") && readme.contains("jsorc:service-refresh greeter"));

        KarafDistribution.Result build = maven(project, "package");
        assertTrue("mvn package of the generated project: " + build, build.ok());
        assertTrue("its unit tests ran and passed: " + build.out(),
                build.out().matches("(?s).*Tests run: [1-9][0-9]*, Failures: 0, Errors: 0, Skipped: 0\n.*"));
        Path jar = project.resolve("target/greeter-service-1.0-SNAPSHOT.jar");
        assertTrue(jar + " built", Files.isRegularFile(jar));

        String password = adminPassword();
        Path deployed = karaf.home().resolve("deploy/greeter-service.jar");
        Path staged = karaf.home().resolve("greeter-service.jar.part");     // FileInstall sees the whole jar at once
        Files.copy(jar, staged);
        Files.move(staged, deployed, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        await("greeter listed").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .until(() -> serviceLine(password).contains("NOT_STARTED"));

        int port = FreePorts.pick(1)[0];
        KarafDistribution.Result set = karaf.client("admin", password,
                "jsorc:config-set GREETER_CONFIG '{\"enabled\":true,\"port\":" + port + ",\"greeting\":\"hello_from_karaf\"}'");
        assertTrue("config-set: " + set, set.ok());
        KarafDistribution.Result refresh = karaf.client("admin", password, "jsorc:service-refresh " + SERVICE);
        assertTrue("service-refresh: " + refresh, refresh.ok() && refresh.out().contains("RUNNING"));
        assertTrue(serviceLine(password), serviceLine(password).contains("RUNNING"));
        assertEquals("the daemon answers on port " + port, "hello_from_karaf", readLine(port));
        assertTrue("its daemon thread runs", threadsOfTheService(password).contains("jsorc/greeter/listener"));

        Files.delete(deployed);
        await("greeter no longer listed").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .until(() -> serviceLine(password).isEmpty());
        await("no thread named jsorc/greeter/* left in Karaf").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofSeconds(1)).until(() -> threadsOfTheService(password).isEmpty());
        assertFalse("port " + port + " closed", accepts(port));
    }

    /** The service-list line of the greeter, or "" when it is not listed. */
    private static String serviceLine(String password) throws Exception {
        KarafDistribution.Result list = karaf.client("admin", password, "jsorc:service-list");
        assertTrue("service-list: " + list, list.ok());
        return list.out().lines().filter(l -> l.contains(SERVICE)).findFirst().orElse("");
    }

    /** Names of Karaf's live threads that belong to the greeter ({@code shell:threads --list}). */
    private static List<String> threadsOfTheService(String password) throws Exception {
        KarafDistribution.Result threads = karaf.client("admin", password, "shell:threads --list");
        assertTrue("shell:threads: " + threads, threads.ok());
        List<String> names = new ArrayList<>();
        threads.out().lines().filter(l -> l.contains("jsorc/" + SERVICE + "/"))
                .forEach(l -> names.add(l.replaceAll(".*(jsorc/" + SERVICE + "/\\S+).*", "$1")));
        return names;
    }

    private static String readLine(int port) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5_000);
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8)).readLine();
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** {@code mvn -B [-o] -Dmaven.repo.local=<the reactor's> args...} in {@code dir}, bounded. */
    private static KarafDistribution.Result maven(Path dir, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("maven.home"), "bin", "mvn").toString());
        command.add("-B");
        command.add("-ntp");
        if ("offline=true".equals(System.getProperty("jsorc.maven.offline"))) {
            command.add("-o");
        }
        command.add("-Dmaven.repo.local=" + System.getProperty("maven.repo.local"));
        command.addAll(Stream.of(args).toList());
        return KarafDistribution.run(dir, command, MAVEN_TIMEOUT, false);
    }
}
