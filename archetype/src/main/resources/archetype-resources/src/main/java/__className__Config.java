package ${package};

import io.jsorc.api.ServiceProperties;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The schema of {@code ${configName}}, declared once. bnd writes it to {@code OSGI-INF/metatype/}; JsOrc finds it by
 * its id (the glob's PID) and then shows a typed form of the glob in the Web Console, refuses a {@code config_set} of
 * the wrong type naming the field, and lets the service read it typed: {@code config(${className}Config.class)}.
 *
 * <p>Method names map to keys as for DS component property types: {@code __} is {@code _}, a single {@code _} is
 * a {@code .} (a nested key: {@code tls_enabled()} reads {@code {"tls": {"enabled": …}}}). Keep it in step with
 * {@link ${className}#DEFAULTS}, which is what the glob holds at first.
 */
@ObjectClassDefinition(id = ServiceProperties.GLOB_PID_PREFIX + ${className}.CONFIG, name = "${serviceName}",
        description = "The ${serviceName} service: a TCP server that greets every connection.")
public @interface ${className}Config {

    @AttributeDefinition(name = "Enabled", description = "Start the service (false: it stays disabled).")
    boolean enabled() default false;

    @AttributeDefinition(name = "Quiet", description = "Log less about this service.")
    boolean quiet() default false;

    @AttributeDefinition(name = "Host", description = "The address to listen on.")
    String host() default "127.0.0.1";

    @AttributeDefinition(name = "Port", min = "0", max = "65535", description = "The port to listen on (0: any free port).")
    int port() default 0;

    @AttributeDefinition(name = "Greeting", description = "The line sent to every client.")
    String greeting() default "hello from ${serviceName}";
}
