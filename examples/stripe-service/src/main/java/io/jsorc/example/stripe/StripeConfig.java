package io.jsorc.example.stripe;

import io.jsorc.api.ServiceProperties;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The schema of {@code STRIPE_CONFIG}, declared once: bnd writes it to {@code OSGI-INF/metatype/} and JsOrc finds it
 * there by its id (the glob's PID). From it the Web Console shows a typed form (the key as a password field),
 * {@code config_set} refuses a value of the wrong type naming the field, and the service reads its settings typed:
 * {@code config(StripeConfig.class).max__network__retries()}.
 *
 * <p>Method names map to keys as for DS component property types: {@code __} is {@code _}, a single {@code _} is
 * a {@code .} (a nested key). {@code enabled} and {@code quiet} are every service's own keys; declare them too, so
 * the form shows them.
 */
@ObjectClassDefinition(id = ServiceProperties.GLOB_PID_PREFIX + StripeService.CONFIG, name = "Stripe",
        description = "The Stripe example service: its API client settings.")
public @interface StripeConfig {

    @AttributeDefinition(name = "Enabled", description = "Start the service (false: it stays disabled).")
    boolean enabled() default false;

    @AttributeDefinition(name = "Quiet", description = "Log less about this service.")
    boolean quiet() default false;

    @AttributeDefinition(name = "Secret key", type = AttributeType.PASSWORD, required = false,
            description = "The Stripe secret key (sk_test_… or sk_live_…), or a reference such as $[env:STRIPE_KEY]. "
                    + "Required when enabled.")
    String key();

    @AttributeDefinition(name = "Network retries", min = "0", max = "10",
            description = "How often the client retries a failed request.")
    int max__network__retries() default 2;

    @AttributeDefinition(name = "Connect timeout (ms)", min = "1", description = "Connect timeout of the client.")
    int connect__timeout__ms() default 30_000;

    @AttributeDefinition(name = "Read timeout (ms)", min = "1", description = "Read timeout of the client.")
    int read__timeout__ms() default 80_000;
}
