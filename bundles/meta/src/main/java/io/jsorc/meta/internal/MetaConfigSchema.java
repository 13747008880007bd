package io.jsorc.meta.internal;

import io.jsorc.api.ServiceProperties;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The schema of {@code META_CONFIG} (the original's keys and the automation loop's): bnd writes it to
 * {@code OSGI-INF/metatype/}, the glob store validates every edit against it and the Web Console shows it as a typed
 * form. Nested keys are dotted ids ({@code kubernetes_in__cluster} is {@code kubernetes.in_cluster}); a list is a
 * multi-valued attribute.
 */
@ObjectClassDefinition(id = ServiceProperties.GLOB_PID_PREFIX + ServiceProperties.META_CONFIG, name = "JsOrc meta",
        description = "MetaService and the automation loop.")
@interface MetaConfigSchema {

    @AttributeDefinition(name = "Automation", description = "Run the JsOrc loop: keep the keep_alive services "
            + "running (and, with Kubernetes, their manifests applied).")
    boolean automation() default false;

    @AttributeDefinition(name = "Backoff interval (s)", min = "1",
            description = "Seconds between two ticks of the loop, and the first backoff of a failing service.")
    int backoff__interval() default 10;

    @AttributeDefinition(name = "Namespace", description = "The Kubernetes namespace of the services' objects.")
    String namespace() default "default";

    @AttributeDefinition(name = "Keep alive", description = "The services the loop keeps running.")
    String[] keep__alive() default {"promon", "redis", "task", "mail"};

    @AttributeDefinition(name = "Kubernetes: in cluster",
            description = "Use the pod's service account (true) or the kubeconfig below (false).")
    boolean kubernetes_in__cluster() default true;

    @AttributeDefinition(name = "Kubernetes: kubeconfig", required = false, type = AttributeType.PASSWORD,
            description = "A kubeconfig file path, or the kubeconfig text itself (a secret: shown masked; set it with "
                    + "jsorc:config-update or as a $[file:...] reference).")
    String kubernetes_config();

    @AttributeDefinition(name = "Largest backoff (s)", min = "1",
            description = "A failing service is retried at most this many seconds apart.")
    int backoff__max() default 300;

    @AttributeDefinition(name = "Backoff reset (s)", min = "1",
            description = "A service that ran this long without failing starts its backoff from the beginning.")
    int backoff__reset() default 600;

    @AttributeDefinition(name = "Crash-loop limit", min = "1",
            description = "This many failures within the window quarantine a service.")
    int crash__loop__limit() default 5;

    @AttributeDefinition(name = "Crash-loop window (s)", min = "1", description = "The window of the crash-loop limit.")
    int crash__loop__window() default 600;
}
