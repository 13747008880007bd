package io.jsorc.redis;

import io.jsorc.api.ServiceProperties;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The schema of {@code REDIS_CONFIG}: the original's keys (enabled, quiet, host, port, db — ported as numbers where
 * the original had the strings {@code "6379"} and {@code "1"}) plus what a Jedis user expects. From it the Web Console
 * shows a typed form (the password as a password field), {@code config_set} refuses a wrong type naming the field,
 * and the service reads it typed ({@code config(RedisConfig.class)}).
 */
@ObjectClassDefinition(id = ServiceProperties.GLOB_PID_PREFIX + RedisService.CONFIG, name = "Redis",
        description = "The redis service: a Jedis connection pool to one Redis server.")
public @interface RedisConfig {

    @AttributeDefinition(name = "Enabled", description = "Start the service (false: it stays disabled).")
    boolean enabled() default true;

    @AttributeDefinition(name = "Quiet", description = "Log less about this service.")
    boolean quiet() default false;

    @AttributeDefinition(name = "Host", min = "1", description = "The Redis server's host name or address.")
    String host() default "localhost";

    @AttributeDefinition(name = "Port", min = "1", max = "65535", description = "The Redis server's port.")
    int port() default 6379;

    @AttributeDefinition(name = "Database", min = "0", description = "The logical database (SELECT).")
    int db() default 1;

    @AttributeDefinition(name = "User", type = AttributeType.PASSWORD, required = false,
            description = "The ACL user (Redis 6+), a secret like the password; empty: default.")
    String user();

    @AttributeDefinition(name = "Password", type = AttributeType.PASSWORD, required = false,
            description = "The password (AUTH), or a reference such as $[env:REDIS_PASSWORD]; empty: none.")
    String password();

    @AttributeDefinition(name = "TLS", description = "Connect with TLS (the JVM's trust store).")
    boolean ssl() default false;

    @AttributeDefinition(name = "Connect timeout (ms)", min = "1", description = "Connect timeout of a connection.")
    int connect__timeout__ms() default 2000;

    @AttributeDefinition(name = "Socket timeout (ms)", min = "1", description = "Read timeout of a command.")
    int socket__timeout__ms() default 2000;

    @AttributeDefinition(name = "Pool size", min = "1", description = "Connections the pool keeps at most.")
    int pool__size() default 8;
}
