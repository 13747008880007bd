package io.jsorc.api.spi;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Registered by the automation part (the JsOrc loop). While one is registered and says so,
 * {@code MetaService.isAutomated()} is true: keep_alive services are started by the loop, {@code buildHook}
 * starts nothing and {@code refresh} resets without starting.
 */
@ConsumerType
public interface AutomationProvider {

    /** True while the automation loop is on. Must be cheap and thread-safe. */
    boolean isAutomated();
}
