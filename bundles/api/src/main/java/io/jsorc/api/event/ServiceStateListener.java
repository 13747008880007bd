package io.jsorc.api.event;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Register as an OSGi service to be told of every state change of every service. Called on a JsOrc event
 * thread, never under a lock, in order per service name. An exception thrown here is logged and ignored. Return
 * promptly: a listener that blocks delays the later events of that service (hand slow work to your own thread).
 * An instance that is removed (its bundle stops, it is replaced or released) ends with a change to NOT_STARTED.
 */
@ConsumerType
public interface ServiceStateListener {

    void stateChanged(ServiceStateEvent event);
}
