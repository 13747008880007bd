package io.jsorc.shell.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jsorc.api.CommonService;
import io.jsorc.api.Hook;
import io.jsorc.api.ServiceInfo;
import io.jsorc.api.ServiceState;
import io.jsorc.testkit.TestKit;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.karaf.shell.api.action.Action;
import org.junit.jupiter.api.AfterEach;

/** The real platform in memory for the command tests, and what the commands print. */
abstract class ShellKit {

    final TestKit kit = TestKit.create();
    final Output output = new Output();

    @AfterEach
    void closeKit() {
        kit.close();
    }

    /** Reads {@code <NAME>_CONFIG} (enabled by default); its app is the color; {@code fail} makes run throw. */
    static class Painter extends CommonService<String> {
        @Override
        protected Map<String, Object> buildConfig(Hook hook) {
            Map<String, Object> defaults = new LinkedHashMap<>();
            defaults.put("enabled", true);
            defaults.put("color", "red");
            defaults.put("fail", false);
            return hook.serviceGlob(serviceName().toUpperCase() + "_CONFIG", defaults);
        }

        @Override
        protected String run(Hook hook) {
            if (Boolean.TRUE.equals(getConfig().get("fail"))) {
                throw new IllegalStateException("key is required!");
            }
            return (String) getConfig().get("color");
        }
    }

    void set(String name, String json) {
        kit.configApi().configSet(name, json, false, null, TestKit.TEST);
    }

    ServiceInfo awaitState(String name, ServiceState state) {
        await(name + " " + state).until(() -> kit.meta().info(name).map(ServiceInfo::state).orElse(null) == state);
        return kit.meta().info(name).orElseThrow();
    }

    /**
     * Runs a command that must refuse its input: it throws Karaf's {@code CommandException} (the one class the
     * console prints as one line and logs at DEBUG only) with {@code message}, and prints nothing.
     */
    void assertRefused(Action command, String message) {
        Exception e = assertThrows(Exception.class, command::execute);
        assertEquals("CommandException", e.getClass().getSimpleName(), "Karaf logs any other class as an ERROR");
        assertEquals(message, e.getMessage());
        assertEquals("", output.text());
    }
}
