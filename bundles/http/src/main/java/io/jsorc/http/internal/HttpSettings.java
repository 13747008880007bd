package io.jsorc.http.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The HTTP admin API's settings: Config Admin PID {@code io.jsorc.http} ({@code etc/io.jsorc.http.cfg}). As for
 * every DS property type, an {@code _} in a method name is a {@code .} in the key: {@code max.body},
 * {@code max.manifest.body}, {@code login.cache.seconds}, {@code allowed.origins}.
 */
@ObjectClassDefinition(name = "JsOrc HTTP admin API", description = "POST /js_admin/<fn>: who may call it and how "
        + "large a request may be.")
public @interface HttpSettings {

    @AttributeDefinition(name = "JAAS realm", description = "The Karaf JAAS realm HTTP Basic credentials are checked "
            + "against.")
    String realm() default "karaf";

    @AttributeDefinition(name = "Role", description = "The role a user needs (a JAAS role principal of that name).")
    String role() default "admin";

    @AttributeDefinition(name = "Body limit (bytes)", description = "The largest request body, except manifests.")
    long max_body() default 1024 * 1024;

    @AttributeDefinition(name = "Manifest body limit (bytes)", description = "The largest request body storing a "
            + "*_MANIFEST glob.")
    long max_manifest_body() default 8 * 1024 * 1024;

    @AttributeDefinition(name = "Login cache (seconds)", description = "How long a successful login is reused "
            + "(0 = never; at most 60). Flushed when a JAAS realm or its users file changes.")
    int login_cache_seconds() default 30;

    @AttributeDefinition(name = "Allowed origins", description = "Browser origins (scheme://host:port) allowed to "
            + "call the API besides the API's own; every other Origin is refused with 403.")
    String[] allowed_origins() default {};
}
