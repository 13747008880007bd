/**
 * Unit-test a JsOrc service without Karaf: {@link io.jsorc.testkit.TestKit} runs the real MetaService runtime
 * (serial transitions, start timeout, daemons, events) over the real glob store, in memory.
 */
@Export
@Version("1.0.0")
package io.jsorc.testkit;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
