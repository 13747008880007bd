package io.jsorc.api.event;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Register as an OSGi service to be told of every state change of every service. Called on a JsOrc event
 * thread, never under a lock, in order per service name. An exception thrown here is logged and ignored.
 */
@ConsumerType
public interface ServiceStateListener {

    void stateChanged(ServiceStateEvent event);
}
