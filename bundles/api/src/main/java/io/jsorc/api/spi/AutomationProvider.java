package io.jsorc.api.spi;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Registered by the JsOrc automation loop. Automation <em>intent</em> is {@code META_CONFIG.automation}: while it is
 * true, MetaService never starts {@code keep_alive} services itself, whether a loop is registered or not. This
 * service only tells MetaService whether a loop is there to do it, so an operator sees "awaiting automation" or
 * "awaiting automation (no loop running)".
 */
@ConsumerType
public interface AutomationProvider {

    /** True while the loop runs its ticks. Must be cheap and thread-safe. */
    boolean isRunning();
}
