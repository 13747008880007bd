package ${package};

import io.jsorc.api.CommonService;
import io.jsorc.api.Hook;
import io.jsorc.api.ServiceProperties;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.ServiceScope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Service {@code ${serviceName}}: a small TCP server that answers every connection with one line, the
 * {@code greeting} of {@code ${configName}}. Replace what it serves with what your service does; keep the shape.
 *
 * <p>The shape of every JsOrc service:
 * <ul>
 * <li>a prototype-scoped DS component registered as {@link CommonService} with its service name and config glob
 * (the platform builds one background instance, and more on demand);</li>
 * <li>{@link #buildConfig} reads the glob, writing {@link #DEFAULTS} the first time (disabled: nothing happens until
 * an operator enables it);</li>
 * <li>{@link #run} builds the app from the config and returns it; throwing makes the service FAILED with the
 * exception's first useful message as its last error ({@code jsorc:service-info}, which also shows the stack);</li>
 * <li>{@link #postRun} spawns the background work as daemons;</li>
 * <li>{@code closeApp} (here the default: {@code close()} of an {@link AutoCloseable} app) releases the app on
 * reset, failure and removal.</li>
 * </ul>
 *
 * <p>{@code ${configName}}: {@code enabled} (false), {@code quiet} (false), {@code host} ("127.0.0.1": the address
 * to listen on), {@code port} (0: any free port), {@code greeting} (the line sent to every client).
 */
@Component(scope = ServiceScope.PROTOTYPE, service = CommonService.class,
        configurationPolicy = ConfigurationPolicy.IGNORE,
        property = {
            ServiceProperties.SERVICE_NAME + "=" + ${className}.NAME,
            ServiceProperties.SERVICE_CONFIG + "=" + ${className}.CONFIG,
            // seconds: buildConfig, run and postRun may each take this long, then they are interrupted
            ServiceProperties.SERVICE_START_TIMEOUT + ":Integer=30",
            // seconds: stopping the daemons (interrupt, stopper, join) may take this long; closeApp and onFailed
            // as long again each
            ServiceProperties.SERVICE_STOP_TIMEOUT + ":Integer=10" })
public class ${className} extends CommonService<ServerSocket> {

    /** The service name ({@code jsorc:service-refresh ${serviceName}}). */
    public static final String NAME = "${serviceName}";

    /** The config glob ({@code jsorc:config-get ${configName}}). */
    public static final String CONFIG = "${configName}";

    /** The daemon's name; its thread is {@code jsorc/${serviceName}/listener}. */
    public static final String DAEMON = "listener";

    /** ${configName} as first written; keys added here later are merged into the stored glob. */
    public static final Map<String, Object> DEFAULTS;

    static {
        Map<String, Object> defaults = new LinkedHashMap<>();   // key order is kept in the glob
        defaults.put("enabled", false);
        defaults.put("quiet", false);
        defaults.put("host", "127.0.0.1");
        defaults.put("port", 0);
        defaults.put("greeting", "hello from ${serviceName}");
        DEFAULTS = Collections.unmodifiableMap(defaults);
    }

    /** accept() failing this many times in a row (no file descriptors left, ...) fails the service. */
    static final int MAX_ACCEPT_FAILURES = 10;

    private static final Logger LOG = LoggerFactory.getLogger(${className}.class);

    private final AtomicLong served = new AtomicLong();

    @Override
    protected Map<String, Object> buildConfig(Hook hook) {
        return hook.serviceGlob(CONFIG, DEFAULTS);
    }

    /** Listens on {@code host:port}; a bad setting or a port in use fails the start with one clear line. */
    @Override
    protected ServerSocket run(Hook hook) throws IOException {
        Map<String, Object> config = getConfig();   // without enabled and quiet
        String host = text(config, "host");
        int port = port(config);
        text(config, "greeting");
        ServerSocket server = new ServerSocket();
        try {
            server.bind(new InetSocketAddress(InetAddress.getByName(host), port));
        } catch (IOException e) {
            server.close();
            throw new IOException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        LOG.info("{} listening on {}:{}", NAME, host, server.getLocalPort());
        return server;
    }

    /**
     * Spawns the daemon. {@code accept()} does not react to an interrupt, so the server socket is also the
     * daemon's stopper: a reset interrupts the daemon, then closes the socket, and {@code accept()} ends at once.
     */
    @Override
    protected void postRun(Hook hook) {
        ServerSocket server = getApp();
        String greeting = config(${className}Config.class).greeting();   // typed: the schema in ${className}Config
        spawnDaemon(DAEMON, () -> serve(server, greeting), server);
    }

    /** The port it listens on while RUNNING, else -1. */
    public int port() {
        ServerSocket server = getApp();
        return server == null ? -1 : server.getLocalPort();
    }

    /** Connections answered since this instance was built. */
    public long served() {
        return served.get();
    }

    /**
     * The daemon's body: a loop that ends when interrupted or when its socket is closed. An exception escaping a
     * daemon's body would end only the daemon and leave the service RUNNING without it: so a bug here, or
     * {@code accept()} failing again and again, fails the service ({@code failed}), and the JsOrc loop or an
     * operator's {@code service-refresh} brings it back. A bad client only costs its own connection.
     */
    private void serve(ServerSocket server, String greeting) {
        byte[] line = (greeting + "\n").getBytes(StandardCharsets.UTF_8);
        int failuresInARow = 0;
        try {
            while (!Thread.currentThread().isInterrupted()) {
                try (Socket client = server.accept()) {
                    failuresInARow = 0;
                    OutputStream out = client.getOutputStream();
                    out.write(line);
                    out.flush();
                    served.incrementAndGet();
                } catch (IOException e) {
                    if (server.isClosed()) {
                        return;                              // the stopper closed it: stop quietly
                    }
                    if (++failuresInARow >= MAX_ACCEPT_FAILURES) {
                        failed(new IOException(NAME + " could not accept connections: " + e.getMessage(), e));
                        return;
                    }
                    LOG.debug("{}: a connection failed: {}", NAME, e.toString());
                    Thread.sleep(100L * failuresInARow);     // back off; ends at once on interrupt
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();              // stopped while backing off
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    private static String text(Map<String, Object> config, String key) {
        if (config.get(key) instanceof String value && !value.isBlank()) {
            return value;
        }
        throw new IllegalArgumentException(CONFIG + "." + key + " must be a non-empty string, not " + config.get(key));
    }

    private static int port(Map<String, Object> config) {
        Object value = config.get("port");
        if ((value instanceof Integer || value instanceof Long) && ((Number) value).longValue() >= 0
                && ((Number) value).longValue() <= 65535) {
            return ((Number) value).intValue();
        }
        throw new IllegalArgumentException(CONFIG + ".port must be an integer from 0 to 65535, not " + value);
    }
}
