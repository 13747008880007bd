package io.jsorc.redis.internal.shared;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Where this node's shared glob store is: node-local bootstrap configuration ({@code etc/jsorc.globs.shared.cfg}),
 * not a glob — the setting that says where shared config lives is not itself shared. Off by default. The password
 * may come from the environment or a file through Config Admin interpolation
 * ({@code password = ${env:JSORC_REDIS_PASSWORD}}, {@code ${file:/run/secrets/redis}}).
 */
@ObjectClassDefinition(id = SharedStoreConfig.PID, name = "JsOrc shared glob store",
        description = "Several nodes share their config globs through one Redis (hash 'global', a change stream). "
                + "Node-local: every node names the same Redis here.")
public @interface SharedStoreConfig {

    /** The configuration PID. */
    String PID = "jsorc.globs.shared";

    @AttributeDefinition(name = "Enabled", description = "Share this node's globs through Redis.")
    boolean enabled() default false;

    @AttributeDefinition(name = "Host", description = "Redis host.")
    String host() default "localhost";

    @AttributeDefinition(name = "Port", description = "Redis port.", min = "1", max = "65535")
    int port() default 6379;

    @AttributeDefinition(name = "Database", description = "Redis database number (Jaseci kept hash 'global' in 1).",
            min = "0")
    int db() default 1;

    @AttributeDefinition(name = "User", description = "Redis ACL user (empty: the default user).", required = false)
    String user() default "";

    @AttributeDefinition(name = "Password", type = AttributeType.PASSWORD, required = false,
            description = "Redis password; better ${env:NAME} or ${file:/path} than plain text.")
    String password() default "";

    @AttributeDefinition(name = "SSL", description = "Connect with TLS.")
    boolean ssl() default false;

    @AttributeDefinition(name = "Timeout (ms)", description = "Connect and command timeout.", min = "100")
    int timeout_ms() default 2000;

    @AttributeDefinition(name = "Stream length", min = "100", description = "About how many changes the stream "
            + "keeps; a node offline for longer than that resyncs from the hash instead of replaying.")
    int stream_max() default 10000;

    @AttributeDefinition(name = "Seeding window (ms)", min = "0", description = "After Redis (re)starts, writes "
            + "are refused this long while every node seeds it with what it holds (so no node writes over a revision "
            + "another has not given back yet).")
    long seeding_window_ms() default 5000;

    @AttributeDefinition(name = "Refresh jitter (s)", min = "0", description = "A service_refresh from another "
            + "node is carried out after a random delay of up to this many seconds (0: at once).")
    int refresh_jitter() default 5;
}
