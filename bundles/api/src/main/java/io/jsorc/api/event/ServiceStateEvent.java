package io.jsorc.api.event;

import io.jsorc.api.ServiceState;
import java.time.Instant;

/**
 * A state change of one service instance. {@code error} is the failure's {@code Class: message} when
 * {@code to} is FAILED, else null; {@code bundle} is the symbolic name of the bundle that provides the service;
 * {@code background} tells the background instance from a disposable one.
 */
public record ServiceStateEvent(String name, ServiceState from, ServiceState to, String error, String bundle,
        boolean background, Instant time) {
}
