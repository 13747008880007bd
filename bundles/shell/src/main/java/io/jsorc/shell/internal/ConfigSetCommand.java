package io.jsorc.shell.internal;

import io.jsorc.api.config.ConfigApi;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.FileCompleter;

/**
 * {@code jsorc:config-set NAME JSON [--no-check] [--rev N] [--file PATH]}: stores a config glob through
 * {@link ConfigApi#configSet} with origin {@code <user>@console/<node>} and prints the API's message. Stores
 * only: {@code jsorc:service-refresh} applies the change. The value comes from the JSON argument or, with
 * {@code --file}, from a UTF-8 file (surrounding whitespace dropped); exactly one of the two. Refused writes
 * (bad name, bad JSON, stale {@code --rev}, too large) fail the command with one line and change nothing; the
 * success message echoes at most the first 200 characters of the value.
 */
@Command(scope = "jsorc", name = "config-set", description = "Stores a config glob (does not restart anything: "
        + "run jsorc:service-refresh to apply). Pass the JSON single-quoted, since the shell reads bare { } as a "
        + "closure: jsorc:config-set STRIPE_CONFIG '{\"enabled\":true,\"key\":\"sk_test_x\"}'. From a script: "
        + "bin/client \"jsorc:config-set STRIPE_CONFIG '{\\\"enabled\\\":true}'\".")
@Service
public class ConfigSetCommand implements Action {

    @Reference
    ConfigApi configApi;

    @Argument(index = 0, name = "name", description = "The config name, e.g. STRIPE_CONFIG", required = true)
    @Completion(ConfigNameCompleter.class)
    String name;

    @Argument(index = 1, name = "json", description = "The value as JSON text, single-quoted: '{\"enabled\":true}'. "
            + "Omit it with --file.")
    String json;

    @Option(name = "--no-check", description = "Allow any glob name, not only the valid config names")
    boolean noCheck;

    @Option(name = "--rev", description = "The revision the value must still have (0 = must be absent); "
            + "a concurrent change makes the command fail")
    Long rev;

    @Option(name = "--file", description = "Read the JSON from this file instead of the argument")
    @Completion(FileCompleter.class)
    String file;

    /** Larger than any glob can be (a manifest is at most 8 MiB by default): such a file is not even read. */
    static final long MAX_FILE_BYTES = 64L * 1024 * 1024;

    PrintStream out = System.out;

    @Override
    public Object execute() throws Exception {
        return Refused.guard(() -> out.println(configApi.configSet(name, value(), !noCheck, rev,
                ConsoleUser.origin()).message()));
    }

    private String value() throws IOException {
        if (file != null && json != null) {
            throw new IllegalArgumentException("Give the JSON either as argument or with --file, not both.");
        }
        if (file != null) {
            try {
                if (Files.size(Path.of(file)) > MAX_FILE_BYTES) {
                    throw new IllegalArgumentException(file + " has " + Files.size(Path.of(file))
                            + " bytes, more than any glob may hold");
                }
                return Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
            } catch (java.nio.file.NoSuchFileException e) {
                throw new IOException(file + ": no such file", e);
            } catch (IOException e) {
                throw new IOException(file + ": " + e.getMessage(), e);
            }
        }
        if (json == null) {
            throw new IllegalArgumentException("A JSON value (single-quoted) or --file PATH is required.");
        }
        return JsonArgument.unquote(json);
    }
}
