package io.jsorc.api.event;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Register as an OSGi service to be told of every glob change. Called on a JsOrc event thread, never under a
 * lock, in order per glob name. An exception thrown here is logged and ignored. Return promptly: events are
 * delivered one after another, so a listener that blocks delays every later glob event (hand slow work to your
 * own thread).
 */
@ConsumerType
public interface GlobListener {

    void globChanged(GlobEvent event);
}
