/**
 * Unit-test a JsOrc service without Karaf: {@link io.jsorc.testkit.TestKit} runs the real MetaService runtime
 * (serial transitions, start timeout, daemons, events) over the real glob store, in memory.
 *
 * <p>This is a plain jar for a unit test's class path, not a bundle: it reaches into the internal packages of
 * {@code io.jsorc.meta} and {@code io.jsorc.globs}, which no OSGi framework would let it import.
 */
package io.jsorc.testkit;
