package io.jsorc.itests;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One unpacked copy of our distribution driven through its real scripts ({@code bin/start}, {@code bin/client},
 * {@code bin/stop}), with ssh, http and RMI moved to free ports so it never collides with a Karaf the user
 * runs on the defaults. Every wait is bounded; {@link #close()} leaves no process behind.
 */
final class KarafDistribution implements AutoCloseable {

    static final Duration BOOT_TIMEOUT = Duration.ofSeconds(120);
    static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(60);
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

    /** What a client run did: exit code, stdout, stderr. */
    record Result(int exitCode, String out, String err) {
        boolean ok() {
            return exitCode == 0;
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout ---\n" + out + "--- stderr ---\n" + err;
        }
    }

    private final Path home;
    private final int sshPort;
    private final int httpPort;

    private KarafDistribution(Path home, int sshPort, int httpPort) {
        this.home = home;
        this.sshPort = sshPort;
        this.httpPort = httpPort;
    }

    /** Unpacks {@code tarGz} (with {@code tar}, which keeps the scripts executable) under {@code workDir}. */
    static KarafDistribution unpack(Path tarGz, Path workDir) throws IOException, InterruptedException {
        Files.createDirectories(workDir);
        Result untar = run(workDir, List.of("tar", "xzf", tarGz.toAbsolutePath().toString()), Duration.ofSeconds(120), false);
        if (!untar.ok()) {
            throw new IllegalStateException("tar xzf " + tarGz + " failed: " + untar);
        }
        Path home;
        try (var entries = Files.list(workDir)) {
            home = entries.filter(p -> Files.isRegularFile(p.resolve("bin/karaf"))).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no bin/karaf under " + workDir + " after unpacking " + tarGz));
        }
        int[] ports = FreePorts.pick(4);
        setProperty(home.resolve("etc/org.apache.karaf.shell.cfg"), "sshPort", ports[0]);
        setProperty(home.resolve("etc/org.ops4j.pax.web.cfg"), "org.osgi.service.http.port", ports[1]);
        setProperty(home.resolve("etc/org.apache.karaf.management.cfg"), "rmiRegistryPort", ports[2]);
        setProperty(home.resolve("etc/org.apache.karaf.management.cfg"), "rmiServerPort", ports[3]);
        return new KarafDistribution(home, ports[0], ports[1]);
    }

    Path home() {
        return home;
    }

    int sshPort() {
        return sshPort;
    }

    int httpPort() {
        return httpPort;
    }

    /**
     * {@code bin/start} (or {@code bin/start clean}) in its own session ({@code setsid}), so that neither the
     * test JVM's process group nor a closed stdin affects Karaf. Returns what the script printed.
     */
    Result start(boolean clean) throws IOException, InterruptedException {
        return start(clean, Map.of());
    }

    /** As {@link #start(boolean)}, with these variables added to Karaf's environment. */
    Result start(boolean clean, Map<String, String> extraEnv) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("setsid", home.resolve("bin/start").toString()));
        if (clean) {
            command.add("clean");
        }
        Result result = run(home, command, Duration.ofSeconds(60), false, null, extraEnv);
        if (!result.ok()) {
            throw new AssertionError("bin/start failed: " + result);
        }
        await("Karaf in " + home + " running (pid file)").atMost(Duration.ofSeconds(30))
                .until(() -> karafProcess().isPresent());
        return result;
    }

    /** Blocks until {@code bin/client} as {@code user} answers {@code command} with exit code 0. */
    Result awaitClient(String user, String password, String command) {
        Result[] last = {null};
        await("`" + command + "` answered through bin/client on port " + sshPort)
                .atMost(BOOT_TIMEOUT)
                .pollInterval(Duration.ofSeconds(1))
                .failFast("Karaf process ended", () -> karafProcess().isEmpty())
                .until(() -> {
                    last[0] = client(user, password, command);
                    return last[0].ok();
                });
        return last[0];
    }

    /**
     * {@code bin/client -u user -p password command}. Its stdin stays open until it exits (at EOF the client
     * prints "Closed" and nothing else); bounded by {@link #CLIENT_TIMEOUT}, then killed.
     */
    Result client(String user, String password, String command) throws IOException, InterruptedException {
        List<String> cmd = List.of(home.resolve("bin/client").toString(), "-a", Integer.toString(sshPort),
                "-h", "127.0.0.1", "-u", user, "-p", password, "-r", "1", command);
        return run(home, cmd, CLIENT_TIMEOUT, true);
    }

    /**
     * {@code bin/jsorc args...} as a script runs it: stdin closed ({@code /dev/null}), an environment with only a
     * {@code PATH} that finds {@code java} (no {@code JAVA_HOME}, no locale) and {@code TMPDIR=tmp}, bounded by
     * {@link #CLIENT_TIMEOUT}.
     */
    Result jsorc(Path tmp, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(home.resolve("bin/jsorc").toString());
        command.addAll(List.of(args));
        return run(home, command, CLIENT_TIMEOUT, false, Map.of("PATH",
                Path.of(System.getProperty("java.home"), "bin") + ":/usr/bin:/bin", "TMPDIR", tmp.toString()), Map.of());
    }

    /** {@code bin/stop}, then waits until the Karaf process is gone. */
    void stop() throws IOException, InterruptedException {
        Optional<ProcessHandle> karaf = karafProcess();
        if (karaf.isEmpty()) {
            return;
        }
        Result result = run(home, List.of(home.resolve("bin/stop").toString()), Duration.ofSeconds(60), false);
        try {
            await("Karaf pid " + karaf.get().pid() + " gone after bin/stop (" + result + ")")
                    .atMost(STOP_TIMEOUT).until(() -> !karaf.get().isAlive());
        } finally {
            if (karaf.get().isAlive()) {
                karaf.get().destroyForcibly();
            }
        }
    }

    /** Stops Karaf if it runs, killing it when bin/stop does not do it in time. Never throws. */
    @Override
    public void close() {
        try {
            stop();
        } catch (Exception | AssertionError e) {
            karafProcess().ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    /** Deletes this copy (after {@link #close()}). */
    void delete() throws IOException {
        try (var paths = Files.walk(home.getParent())) {
            for (Path path : (Iterable<Path>) paths.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(path);
            }
        }
    }

    /** The Karaf JVM of this copy: the pid in {@code karaf.pid}, if alive and really ours. */
    Optional<ProcessHandle> karafProcess() {
        Path pidFile = home.resolve("karaf.pid");
        try {
            if (!Files.isRegularFile(pidFile)) {
                return Optional.empty();
            }
            String pid = Files.readString(pidFile).trim();
            if (pid.isEmpty()) {
                return Optional.empty();
            }
            return ProcessHandle.of(Long.parseLong(pid)).filter(ProcessHandle::isAlive)
                    .filter(p -> p.info().commandLine().map(c -> c.contains(home.toString())).orElse(true));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * Runs {@code command} in {@code dir} with output to temp files (no pipe can fill up), bounded by {@code timeout}.
     * With {@code liveStdin} the process gets a stdin pipe that stays open until it exits, else /dev/null.
     */
    static Result run(Path dir, List<String> command, Duration timeout, boolean liveStdin)
            throws IOException, InterruptedException {
        return run(dir, command, timeout, liveStdin, null, Map.of());
    }

    /** As above; with {@code onlyEnv}, the process gets exactly that environment. */
    private static Result run(Path dir, List<String> command, Duration timeout, boolean liveStdin,
            Map<String, String> onlyEnv, Map<String, String> extraEnv) throws IOException, InterruptedException {
        Path out = Files.createTempFile(dir, "run-", ".out");
        Path err = Files.createTempFile(dir, "run-", ".err");
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(liveStdin ? ProcessBuilder.Redirect.PIPE : ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Map<String, String> env = builder.environment();
        if (onlyEnv != null) {
            env.clear();
            env.putAll(onlyEnv);
        } else {
            env.put("JAVA_HOME", System.getProperty("java.home"));
            env.put("LC_ALL", "C.UTF-8");
            env.put("LANG", "C.UTF-8");
        }
        env.putAll(extraEnv);
        env.remove("KARAF_HOME");
        env.remove("KARAF_BASE");
        env.remove("KARAF_ETC");
        env.remove("KARAF_DATA");
        Process process = builder.start();
        // stdin is a pipe we keep open until the process exits: bin/client needs a live stdin
        try (OutputStream stdin = process.getOutputStream()) {
            boolean ended;
            try {
                ended = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);   // leave no orphan behind
                process.destroyForcibly();
                throw e;
            }
            if (!ended) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError(String.join(" ", redact(command)) + " did not exit within " + timeout.toSeconds()
                        + " s; stdout so far:\n" + Files.readString(out, StandardCharsets.UTF_8));
            }
        }
        try {
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8).replace("\r\n", "\n"),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static List<String> redact(List<String> command) {
        List<String> copy = new ArrayList<>(command);
        int p = copy.indexOf("-p");
        if (p >= 0 && p + 1 < copy.size()) {
            copy.set(p + 1, "***");
        }
        return copy;
    }

    /** Sets {@code key = value} in a Karaf .cfg file, replacing the existing line or appending one. */
    private static void setProperty(Path cfg, String key, int value) throws IOException {
        String text = Files.readString(cfg, StandardCharsets.ISO_8859_1);
        Matcher line = Pattern.compile("(?m)^\\s*" + Pattern.quote(key) + "\\s*=.*$").matcher(text);
        String replacement = key + " = " + value;
        text = line.find() ? line.replaceAll(Matcher.quoteReplacement(replacement)) : text + "\n" + replacement + "\n";
        Files.writeString(cfg, text, StandardCharsets.ISO_8859_1);
    }

    @Override
    public String toString() {
        return "Karaf in " + home + " (ssh " + sshPort + ", http " + httpPort + ")";
    }
}
