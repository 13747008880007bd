package io.jsorc.example.stripe;

import com.stripe.StripeClient;
import io.jsorc.api.CommonService;
import io.jsorc.api.Hook;
import io.jsorc.api.ServiceProperties;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.ServiceScope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The seed's {@code StripeService}: its app is a {@link StripeClient} configured with {@code STRIPE_CONFIG.key}.
 *
 * <p>{@code STRIPE_CONFIG} (defaults in {@link #DEFAULTS}, written on first build):
 * <ul>
 * <li>{@code enabled} (false), {@code quiet} (false): as for every service;</li>
 * <li>{@code key}: the Stripe secret key ({@code sk_test_...}); required when enabled, never logged;</li>
 * <li>{@code max_network_retries} (2), {@code connect_timeout_ms} (30000), {@code read_timeout_ms} (80000):
 * passed to the client.</li>
 * </ul>
 *
 * <p>The shape is what {@code io.jsorc:jsorc-service-archetype} generates, plus Stripe. {@link #run} only builds
 * the client (no network call), so starting never waits on Stripe. {@link #postRun} spawns one daemon,
 * {@code jsorc/stripe/automation}, which takes the requests made by the automation methods ({@link #runPayment},
 * {@link #runAddUser}, {@link #runRemoveUser}) from a queue, logs and counts them; it blocks in {@code take()} and
 * ends as soon as it is interrupted (reset, failure, bundle stop).
 *
 * <p>Thread-safety: the automation methods and counters may be called from any thread.
 */
@Component(scope = ServiceScope.PROTOTYPE, service = CommonService.class,
        configurationPolicy = ConfigurationPolicy.IGNORE,
        property = {
            ServiceProperties.SERVICE_NAME + "=" + StripeService.NAME,
            ServiceProperties.SERVICE_CONFIG + "=" + StripeService.CONFIG,
            // seconds: buildConfig, run and postRun may each take this long, then they are interrupted
            ServiceProperties.SERVICE_START_TIMEOUT + ":Integer=30",
            // seconds: stopping the daemon (interrupt, join) may take this long; closeApp and onFailed as long again
            // each
            ServiceProperties.SERVICE_STOP_TIMEOUT + ":Integer=10" })
public class StripeService extends CommonService<StripeClient> {

    /** The service name ({@code jsorc:service-refresh stripe}). */
    public static final String NAME = "stripe";

    /** The glob this service reads. */
    public static final String CONFIG = "STRIPE_CONFIG";

    /** The name of the daemon; its thread is {@code jsorc/stripe/automation}. */
    public static final String DAEMON = "automation";

    /** STRIPE_CONFIG defaults: disabled and without key, so nothing happens until an operator sets one. */
    public static final Map<String, Object> DEFAULTS;

    static {
        Map<String, Object> defaults = new LinkedHashMap<>();
        defaults.put("enabled", false);
        defaults.put("quiet", false);
        defaults.put("key", null);
        defaults.put("max_network_retries", 2);
        defaults.put("connect_timeout_ms", 30_000);
        defaults.put("read_timeout_ms", 80_000);
        DEFAULTS = Collections.unmodifiableMap(defaults);
    }

    private static final Logger LOG = LoggerFactory.getLogger(StripeService.class);

    /** The automation requests of the current run; replaced at every postRun so a reset drops old ones. */
    private volatile BlockingQueue<Request> requests = new LinkedBlockingQueue<>();
    private final AtomicLong payments = new AtomicLong();
    private final AtomicLong usersAdded = new AtomicLong();
    private final AtomicLong usersRemoved = new AtomicLong();

    /** What the automation methods ask the daemon to do. */
    enum Request { PAYMENT, ADD_USER, REMOVE_USER }

    @Override
    protected Map<String, Object> buildConfig(Hook hook) {
        return hook.serviceGlob(CONFIG, DEFAULTS);
    }

    /** Builds the client from the config; fails with {@code key is required!} without a key. No network call. */
    @Override
    protected StripeClient run(Hook hook) {
        StripeConfig config = config(StripeConfig.class); // typed: the schema declared in StripeConfig
        String key = config.key();
        if (key == null || key.isBlank()) {
            throw new IllegalStateException("key is required!");
        }
        StripeClient client = StripeClient.builder()
                .setApiKey(key)
                .setMaxNetworkRetries(config.max__network__retries())
                .setConnectTimeout(config.connect__timeout__ms())
                .setReadTimeout(config.read__timeout__ms())
                .build();
        LOG.info("Stripe client built ({} mode)", key.startsWith("sk_live_") ? "live" : "test");
        return client;
    }

    /** Spawns the automation daemon. */
    @Override
    protected void postRun(Hook hook) {
        BlockingQueue<Request> queue = new LinkedBlockingQueue<>();
        requests = queue;
        spawnDaemon(DAEMON, () -> work(queue));
    }

    // ---------------------------------------------------------------- the seed's automation methods

    /** The seed's {@code other_method_for_automation1} ("run_payment"): queues a payment; false when not running. */
    public boolean runPayment() {
        return request(Request.PAYMENT);
    }

    /** The seed's {@code other_method_for_automation2} ("run_add_user"): queues it; false when not running. */
    public boolean runAddUser() {
        return request(Request.ADD_USER);
    }

    /** The seed's {@code other_method_for_automation3} ("run_remove_user"): queues it; false when not running. */
    public boolean runRemoveUser() {
        return request(Request.REMOVE_USER);
    }

    /** Payments the daemon has handled since this instance was built. */
    public long payments() {
        return payments.get();
    }

    public long usersAdded() {
        return usersAdded.get();
    }

    public long usersRemoved() {
        return usersRemoved.get();
    }

    // ---------------------------------------------------------------- internals

    private boolean request(Request request) {
        if (!isRunning() || !getDaemons().contains(DAEMON)) {
            LOG.debug("stripe is not running; {} ignored", request);
            return false;
        }
        return requests.offer(request);
    }

    /**
     * The daemon's body: handles requests until interrupted. {@code take()} ends on the interrupt a reset sends,
     * so this daemon needs no stopper.
     */
    private void work(BlockingQueue<Request> queue) {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                Request request = queue.take();
                AtomicLong counter = switch (request) {
                    case PAYMENT -> payments;
                    case ADD_USER -> usersAdded;
                    case REMOVE_USER -> usersRemoved;
                };
                LOG.info("run_{} #{}", request.name().toLowerCase(java.util.Locale.ROOT), counter.incrementAndGet());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
