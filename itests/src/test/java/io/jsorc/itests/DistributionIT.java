package io.jsorc.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.Base64;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The real distribution, as an operator runs it: a copy with its ports moved, {@code bin/start},
 * {@code bin/client}, {@code bin/stop}, {@code bin/start clean}. Plain JUnit (no Pax Exam): the point is the
 * scripts, etc/ and the admin-password bootstrap, which Pax Exam's launcher bypasses.
 */
public class DistributionIT {

    // Karaf's parser takes options only before the first argument: `config-set --no-check NAME JSON`.

    /** Glob name → JSON text: the shapes Config Admin cannot hold natively. No whitespace inside strings. */
    static final Map<String, String> GLOBS = new LinkedHashMap<>();

    static {
        GLOBS.put("ITEST_NULL", "null");
        GLOBS.put("ITEST_EMPTY_OBJECT", "{}");
        GLOBS.put("ITEST_EMPTY_LIST", "[]");
        GLOBS.put("ITEST_LIST_OF_MAPS", "[{\"a\":1,\"b\":[{\"c\":null}]},{},{\"d\":\"x\",\"e\":[]}]");
        GLOBS.put("ITEST_NUMBERS", "{\"one\":1,\"oneDotZero\":1.0,\"twoPow63\":9223372036854775808,"
                + "\"longMax\":9223372036854775807,\"negative\":-9223372036854775809,\"tenth\":0.1,\"negativeZero\":-0.0,\"list\":[1,1.0,-1.5]}");
        GLOBS.put("ITEST_TOP_NUMBER", "1.0");
        GLOBS.put("ITEST_TOP_BIG", "9223372036854775808");
        GLOBS.put("ITEST_STRING", "\"just_a_string\"");
        GLOBS.put("ITEST_TRUE", "true");
        GLOBS.put("ITEST_UNICODE", "{\"text\":\"h\u00e9llo_\u6f22\u5b57_\ud83d\ude00\",\"\u043a\u043b\u044e\u0447\":\"\u0437\u043d\u0430\u0447\u0435\u043d\u0438\u0435\"}");
        GLOBS.put("ITEST_DOTTED", "{\"a.b.c\":1,\"x\":{\"y.z\":[1,2]},\"service.pid\":\"not_a_pid\"}");
        GLOBS.put("ITEST_NESTED_CONFIG", "{\"enabled\":false,\"z\":1,\"a\":{\"k\":[1,1.0,null,{}],\"m\":{}}}");
    }

    private static KarafDistribution karaf;
    private static String firstStartOutput;
    /** karaf.log once the first start is up, with the Stripe jar that was in deploy/ before it listed. */
    private static String firstStartLog;

    @BeforeClass
    public static void startFreshCopy() throws Exception {
        Path assembly = Paths.get(System.getProperty("jsorc.assembly", "target/jsorc-assembly.tar.gz"));
        assertTrue("distribution " + assembly + " exists (run through Maven: failsafe sets jsorc.assembly)", Files.isRegularFile(assembly));
        Path work = Paths.get("target", "distribution-it", Long.toString(System.currentTimeMillis())).toAbsolutePath();
        karaf = KarafDistribution.unpack(assembly, work);
        Files.copy(Paths.get(System.getProperty("jsorc.stripe.jar")), karaf.home().resolve("deploy/stripe.jar"));
        KarafDistribution.Result start = karaf.start(false);
        firstStartOutput = start.out() + start.err();
        firstStartLog = awaitStripeListed(0);
    }

    /**
     * Waits until the Stripe service from deploy/ is listed; returns what karaf.log got from byte {@code from} on
     * (the log survives {@code bin/stop} and {@code clean}).
     */
    private static String awaitStripeListed(long from) throws Exception {
        String password = adminPassword();
        await("stripe listed").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            KarafDistribution.Result list = karaf.client("admin", password, "jsorc:service-list");
            return list.ok() && list.out().contains("stripe");
        });
        return logFrom(from);
    }

    private static Path log() {
        return karaf.home().resolve("data/log/karaf.log");
    }

    private static long logSize() throws Exception {
        return Files.exists(log()) ? Files.size(log()) : 0;
    }

    private static String logFrom(long from) throws Exception {
        try (var in = Files.newInputStream(log())) {
            in.skip(Files.size(log()) >= from ? from : 0);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The WARN and ERROR lines of a karaf.log text. */
    private static List<String> warningsAndErrors(String log) {
        return log.lines().filter(l -> l.contains("| WARN ") || l.contains("| ERROR ")).toList();
    }

    /**
     * The ERROR lines, and the WARN lines of FileInstall, of our bundles and of the deployed Stripe bundle. (Karaf's
     * management server logs an occasional WARN of its own at a first start, when its configuration arrives while
     * its activator starts: "java.rmi.server.hostname system property is already set" and Aries JMX's "Task
     * rejected"; stock Karaf does the same, and it is not about deploy/.)
     */
    private static List<String> deployProblems(String log) {
        return warningsAndErrors(log).stream().filter(l -> l.contains("| ERROR ") || l.contains("fileinstall")
                || l.contains("io.jsorc") || l.contains("stripe")).toList();
    }

    @AfterClass
    public static void stopIt() throws Exception {
        if (karaf != null) {
            karaf.close();
            if (!Boolean.getBoolean("jsorc.itest.keep")) {
                karaf.delete();
            }
        }
    }

    @Test
    public void firstStartCreatesAdminWithHashedRandomPasswordInOwnerOnlyFile() throws Exception {
        Path passwordFile = karaf.home().resolve("etc/admin.password");
        assertTrue("bin/start printed the password file's path:\n" + firstStartOutput,
                firstStartOutput.contains(passwordFile.toString()));
        assertTrue(passwordFile + " exists", Files.isRegularFile(passwordFile));
        assertEquals("mode of " + passwordFile, EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                Files.getPosixFilePermissions(passwordFile));
        String password = adminPassword();
        assertTrue("password has >= 20 characters", password.length() >= 20);
        String users = Files.readString(karaf.home().resolve("etc/users.properties"), StandardCharsets.ISO_8859_1);
        assertTrue("users.properties has a hashed admin:\n" + users,
                users.matches("(?s).*\\nadmin = \\{CRYPT\\}[0-9a-f]{64}\\{CRYPT\\},_g_:admingroup\\n.*"));
        assertFalse("users.properties does not contain the plain password", users.contains(password));
        assertFalse("no well-known karaf user", users.matches("(?s).*\\nkaraf\\s*=.*"));
    }

    /** Defect 15: a first start with a service jar already in deploy/ logs no WARN and no ERROR. */
    @Test
    public void aFirstStartWithAServiceJarInDeployIsClean() {
        assertEquals("WARN/ERROR lines of the first start", List.of(), deployProblems(firstStartLog));
        assertTrue(firstStartLog.contains("Service stripe arrived from io.jsorc.example.stripe"));
    }

    /**
     * Defect 12: a refused config-set (here a 2,000-deep JSON) prints one line, makes bin/client exit non-zero and
     * leaves neither an ERROR nor a stack trace in karaf.log.
     */
    @Test
    public void aRefusedConfigSetPrintsOneLineAndLogsNoError() throws Exception {
        String password = adminPassword();
        karaf.awaitClient("admin", password, "jsorc:service-list");
        long before = logSize();
        String deep = "[".repeat(2000) + "]".repeat(2000);
        KarafDistribution.Result refused = karaf.client("admin", password,
                "jsorc:config-set --no-check DEEP_GLOB '" + deep + "'");
        assertFalse("refused: " + refused, refused.ok());
        List<String> printed = (refused.out() + refused.err()).replaceAll("\u001B\\[[0-9;]*m", "").lines()
                .filter(l -> !l.isBlank()).toList();
        assertEquals("one line: " + printed, 1, printed.size());
        assertTrue(printed.get(0), printed.get(0).startsWith("Error executing command: Value of DEEP_GLOB is not "
                + "valid JSON: Document nesting depth (1001) exceeds the maximum allowed"));
        KarafDistribution.Result exists = karaf.client("admin", password, "jsorc:config-exists DEEP_GLOB");
        assertTrue("nothing stored: " + exists, exists.out().contains("false"));
        String added = logFrom(before);
        assertEquals("WARN/ERROR lines logged for it", List.of(), warningsAndErrors(added));
        assertFalse(added, added.contains("Exception caught while executing command"));
        assertFalse(added, added.contains("\tat "));
    }

    /**
     * bin/jsorc runs one command from a script: stdin closed, no JAVA_HOME, no password on its command line (a key of
     * its own, made once, owner-only); a refused command exits 1 with one line; nothing is left behind.
     */
    @Test
    public void binJsorcRunsACommandFromAScriptWithStdinClosedAndNoJavaHome() throws Exception {
        karaf.awaitClient("admin", adminPassword(), "jsorc:service-list");
        Path tmp = Files.createTempDirectory(karaf.home(), "jsorc-tmp");
        KarafDistribution.Result list = karaf.jsorc(tmp, "service-list");
        assertTrue("bin/jsorc service-list: " + list, list.ok() && list.out().lines().anyMatch(l -> l.startsWith("meta ")));
        Path key = karaf.home().resolve("etc/jsorc-client.key");
        assertEquals("mode of " + key, EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                Files.getPosixFilePermissions(key));

        String value = "{\"a\":\"it's Zo\u00eb $HOME \\\\ x\"}";      // a quote, non-ASCII, $ and \ in one argument
        KarafDistribution.Result set = karaf.jsorc(tmp, "config-set", "--no-check", "ITEST_WRAPPER", value);
        assertTrue("config-set through bin/jsorc: " + set, set.ok() && set.out().contains("Config of 'ITEST_WRAPPER'"));
        KarafDistribution.Result get = karaf.jsorc(tmp, "config-get", "--no-check", "ITEST_WRAPPER");
        assertEquals("the argument arrived unchanged", value, get.out().trim());

        KarafDistribution.Result refused = karaf.jsorc(tmp, "config-set", "NOT_A_CONFIG", "{}");
        assertEquals("a refused command exits 1: " + refused, 1, refused.exitCode());
        List<String> printed = (refused.out() + refused.err()).replaceAll("\u001B\\[[0-9;]*m", "").lines()
                .filter(l -> !l.isBlank()).toList();
        assertEquals("one line: " + printed, 1, printed.size());
        KarafDistribution.Result injected = karaf.jsorc(tmp, "service-list; shell:exec true");
        assertEquals("not a command name: bin/jsorc's own error: " + injected, 2, injected.exitCode());

        String keys = Files.readString(karaf.home().resolve("etc/keys.properties"), StandardCharsets.ISO_8859_1);
        assertEquals("one login key made, once", 1, keys.lines().filter(l -> l.startsWith("jsorc-cli = ")).count());
        try (var left = Files.list(tmp)) {
            assertEquals("no command file left in TMPDIR", List.of(), left.toList());
        }
    }

    @Test
    public void adminLogsInWithGeneratedPasswordAndWrongPasswordIsRefused() throws Exception {
        KarafDistribution.Result ok = karaf.awaitClient("admin", adminPassword(), "bundle:list -s io.jsorc.api");
        assertTrue("admin sees io.jsorc.api: " + ok, ok.out().contains("io.jsorc.api"));
        KarafDistribution.Result wrong = karaf.client("admin", adminPassword() + "x", "bundle:list -s io.jsorc.api");
        assertFalse("wrong password refused: " + wrong, wrong.ok());
        assertFalse("nothing listed with a wrong password: " + wrong, wrong.out().contains("io.jsorc.api"));
        KarafDistribution.Result karafUser = karaf.client("karaf", "karaf", "bundle:list -s io.jsorc.api");
        assertFalse("karaf/karaf refused: " + karafUser, karafUser.ok());
    }

    @Test
    public void webConsoleAcceptsAdminAndRefusesOthers() throws Exception {
        karaf.awaitClient("admin", adminPassword(), "bundle:list -s io.jsorc.api");
        URI bundles = URI.create("http://127.0.0.1:" + karaf.httpPort() + "/system/console/bundles");
        await("Web Console answers 200 to admin on " + bundles).atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> httpStatus(bundles, "admin", adminPassword()) == 200);
        assertEquals("wrong password", 401, httpStatus(bundles, "admin", adminPassword() + "x"));
        assertEquals("karaf/karaf", 401, httpStatus(bundles, "karaf", "karaf"));
    }

    private static int httpStatus(URI uri, String user, String password) throws Exception {
        String basic = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Basic " + basic).GET().build();
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
                .send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    public void globsSurviveRestartAndCleanStartByteIdentical() throws Exception {
        String password = adminPassword();
        karaf.awaitClient("admin", password, "jsorc:service-list");
        for (Map.Entry<String, String> glob : GLOBS.entrySet()) {
            KarafDistribution.Result set = karaf.client("admin", password,
                    "jsorc:config-set --no-check " + glob.getKey() + " '" + glob.getValue() + "'");
            assertTrue("config-set " + glob.getKey() + " " + glob.getValue() + ": " + set, set.ok());
        }
        Map<String, String> stored = getAll(password);
        for (Map.Entry<String, String> glob : GLOBS.entrySet()) {
            assertEquals("config-get " + glob.getKey() + " returns the JSON text that was set (whitespace aside)",
                    glob.getValue(), stored.get(glob.getKey()).replaceAll("\\s+", ""));
            Path file = karaf.home().resolve("etc/jsorc.glob." + glob.getKey() + ".cfg");
            assertEquals("mode of " + file, EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                    Files.getPosixFilePermissions(file));
        }

        karaf.stop();
        karaf.start(false);
        karaf.awaitClient("admin", password, "jsorc:service-list");
        assertEquals("globs after bin/stop + bin/start", stored, getAll(password));

        karaf.stop();
        long beforeClean = logSize();
        karaf.start(true);
        String cleanStartLog = awaitStripeListed(beforeClean);
        assertEquals("globs after bin/stop + bin/start clean (data/ wiped)", stored, getAll(password));
        assertEquals("WARN/ERROR lines of the clean start, with the jar in deploy/", List.of(),
                deployProblems(cleanStartLog));
    }

    /**
     * {@code config-get} output per glob, all in one client run (each client JVM costs ~2 s): the commands are
     * joined with {@code ;} and each prints its value as one line of compact JSON.
     */
    private static Map<String, String> getAll(String password) throws Exception {
        StringBuilder script = new StringBuilder();
        for (String name : GLOBS.keySet()) {
            script.append(script.length() == 0 ? "" : " ; ").append("jsorc:config-get --no-check ").append(name);
        }
        KarafDistribution.Result get = karaf.client("admin", password, script.toString());
        assertTrue("config-get of every glob: " + get, get.ok());
        String[] lines = get.out().split("\n");
        assertEquals("one line per glob: " + get, GLOBS.size(), lines.length);
        Map<String, String> values = new LinkedHashMap<>();
        int i = 0;
        for (String name : GLOBS.keySet()) {
            values.put(name, lines[i++]);
        }
        return values;
    }

    private static String adminPassword() throws Exception {
        return Files.readString(karaf.home().resolve("etc/admin.password"), StandardCharsets.UTF_8).trim();
    }
}
