package io.jsorc.kube.internal.shell;

import io.jsorc.api.config.GlobException;
import io.jsorc.api.config.Origin;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.AccessController;
import javax.security.auth.Subject;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.apache.karaf.shell.support.CommandException;

/**
 * What the Kubernetes commands share: who runs them (the JAAS user, as jsorc-shell does), refused input as one line
 * (a Karaf {@link CommandException}: printed, logged at DEBUG only, exit 1 in {@code bin/client}), files read.
 */
final class Console {

    /** Larger than a manifest may be: such a file is not even read. */
    static final long MAX_FILE = 8L * 1024 * 1024;
    /** {@code FILE} values naming a default manifest shipped in this bundle. */
    static final String DEFAULT_PREFIX = "default:";

    /** A command's work. */
    @FunctionalInterface
    interface Work {
        void run() throws Exception;
    }

    private Console() {
    }

    @SuppressWarnings("removal") // Karaf 4.4 binds the session's subject through AccessController (Java 17 only)
    static Origin origin() {
        Subject subject = Subject.getSubject(AccessController.getContext());
        if (subject != null) {
            for (UserPrincipal principal : subject.getPrincipals(UserPrincipal.class)) {
                return Origin.local(principal.getName(), "console");
            }
        }
        return Origin.local("karaf", "console");
    }

    static Object guard(Work work) throws Exception {
        try {
            work.run();
            return null;
        } catch (GlobException e) {
            if (e.reason() == GlobException.Reason.STORAGE) {
                throw e;
            }
            throw new CommandException(e.getMessage(), e);
        } catch (IllegalArgumentException | IllegalStateException e) {
            // bad input, or Kubernetes not reachable now: one line, not a platform failure
            throw new CommandException(e.getMessage(), e);
        } catch (IOException e) {
            throw new CommandException("Cannot read " + e.getMessage(), e);
        }
    }

    /** The YAML of {@code file}: a path, or {@code default:redis} / {@code default:promon}. */
    static String read(String file) throws IOException {
        if (file.startsWith(DEFAULT_PREFIX)) {
            String name = file.substring(DEFAULT_PREFIX.length());
            if (!name.matches("[a-z]+")) {
                throw new IllegalArgumentException("No default manifest " + name + " (default:redis, default:promon)");
            }
            try (InputStream in = Console.class.getResourceAsStream("/manifests/" + name + ".yaml")) {
                if (in == null) {
                    throw new IllegalArgumentException("No default manifest " + name
                            + " (default:redis, default:promon)");
                }
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
        Path path = Path.of(file);
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException("No file " + file);
        }
        if (Files.size(path) > MAX_FILE) {
            throw new IllegalArgumentException(file + " is larger than " + MAX_FILE + " bytes");
        }
        return Files.readString(path);
    }
}
