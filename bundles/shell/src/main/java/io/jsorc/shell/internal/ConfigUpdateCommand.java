package io.jsorc.shell.internal;

import io.jsorc.api.config.ConfigApi;
import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/**
 * {@code jsorc:config-update [--no-check] [--rev N] NAME KEY JSON}: the original's {@code config_update} through
 * {@link ConfigApi#configUpdate} — sets one field of an object glob (a key it already has) and prints what
 * {@code config-set} prints. Stores only: {@code jsorc:service-refresh} applies it. {@code '"********"'} for a
 * secret field keeps the stored secret.
 */
@Command(scope = "jsorc", name = "config-update", description = "Sets one field of a config glob (a key it already "
        + "has) to a JSON value; run jsorc:service-refresh to apply. A string value is JSON too: "
        + "jsorc:config-update STRIPE_CONFIG key '\"sk_test_x\"'.")
@Service
public class ConfigUpdateCommand implements Action {

    @Reference
    ConfigApi configApi;

    @Argument(index = 0, name = "name", description = "The config name, e.g. META_CONFIG", required = true)
    @Completion(ConfigNameCompleter.class)
    String name;

    @Argument(index = 1, name = "key", description = "A key the stored object has, e.g. automation", required = true)
    String key;

    @Argument(index = 2, name = "json", description = "The new value as JSON, single-quoted: 'true', '\"text\"', "
            + "'[\"a\",\"b\"]'", required = true)
    String json;

    @Option(name = "--no-check", description = "Allow any glob name, not only the valid config names")
    boolean noCheck;

    @Option(name = "--rev", description = "The revision the glob must still have; a concurrent change makes the "
            + "command fail")
    Long rev;

    PrintStream out = System.out;

    @Override
    public Object execute() throws Exception {
        return Refused.guard(() -> out.println(configApi.configUpdate(name, key, JsonArgument.unquote(json), !noCheck,
                rev, ConsoleUser.origin()).message()));
    }
}
