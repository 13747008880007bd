package ${package};

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jsorc.api.ServiceState;
import io.jsorc.testkit.TestKit;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The service's life cycle on the test kit: the real MetaService runtime and glob store, in memory. */
class ${className}Test {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private TestKit kit;

    @BeforeEach
    void register() {
        kit = TestKit.create();
        kit.register(${className}.NAME, ${className}::new);
    }

    @AfterEach
    void close() {
        kit.close();   // stops every thread the kit started
    }

    private ${className} service() {
        return (${className}) kit.meta().getService(${className}.NAME, kit.hook());
    }

    /** {@code jsorc:config-set} then {@code jsorc:service-refresh}: returns once the start attempt is over. */
    private void configure(String json) {
        kit.configApi().configSet(${className}.CONFIG, json, true, null, TestKit.TEST);
        assertTrue(kit.meta().refresh(${className}.NAME));
    }

    @Test
    void disabledByDefaultWithItsDefaultsWritten() {
        assertEquals(ServiceState.NOT_STARTED, service().getState());
        assertFalse(service().isEnabled());
        assertEquals("hello from ${serviceName}", kit.hook().serviceGlob(${className}.CONFIG, ${className}.DEFAULTS).get("greeting"));
    }

    @Test
    void enabledItAnswersEveryConnectionWithTheGreeting() throws IOException {
        configure("{\"enabled\":true,\"greeting\":\"hi there\"}");
        assertTrue(service().isRunning(), service().getLastError());
        assertEquals("hi there", readLine(service().port()));
        assertEquals("hi there", readLine(service().port()));
        await("the daemon counted both connections").atMost(WAIT).until(() -> service().served() == 2);
    }

    @Test
    void aResetStopsTheDaemonThroughItsStopperAndClosesThePort() throws IOException {
        configure("{\"enabled\":true}");
        assertTrue(service().isRunning(), service().getLastError());
        int port = service().port();
        assertEquals("hello from ${serviceName}", readLine(port));
        Thread daemon = daemonThread();

        configure("{\"enabled\":false}");   // refresh = reset: daemons stopped, app closed, not started again

        assertEquals(ServiceState.NOT_STARTED, service().getState());
        assertTrue(service().getDaemons().isEmpty());
        assertFalse(daemon.isAlive(), "the daemon ended within the stop timeout");
        assertThrows(ConnectException.class, () -> readLine(port));
    }

    @Test
    void aBadSettingFailsTheStartWithOneClearLine() {
        configure("{\"enabled\":true,\"port\":\"eighty\"}");
        assertTrue(service().hasFailed());
        assertEquals("java.lang.IllegalArgumentException: ${configName}.port must be an integer from 0 to 65535, not eighty",
                service().getLastError());
    }

    private static Thread daemonThread() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("jsorc/${serviceName}/" + ${className}.DAEMON)).findFirst()
                .orElseThrow(() -> new AssertionError("no thread jsorc/${serviceName}/" + ${className}.DAEMON));
    }

    private static String readLine(int port) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5_000);
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8)).readLine();
        }
    }
}
