package ${package};

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
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

    /** A stop timeout far above the 5 s a reset may take here: only the stopper can end accept() in time. */
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

    @BeforeEach
    void register() {
        kit = TestKit.create();
        kit.register(${className}.NAME, 0, Duration.ofSeconds(30), STOP_TIMEOUT, ${className}::new);
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
        assertEquals(${className}.DEFAULTS, kit.hook().getGlob(${className}.CONFIG), "the stored glob");
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

        // refresh = reset: daemons stopped (interrupt, then the stopper closes the socket), app closed, not started
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> configure("{\"enabled\":false}"),
                "the stopper ended accept() at once");

        assertEquals(ServiceState.NOT_STARTED, service().getState());
        assertFalse(daemon.isAlive(), "the daemon ended");
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
