package io.jsorc.api.event;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Register as an OSGi service to be told of every glob change. Called on a JsOrc event thread, never under a
 * lock, in order per glob name. An exception thrown here is logged and ignored.
 */
@ConsumerType
public interface GlobListener {

    void globChanged(GlobEvent event);
}
