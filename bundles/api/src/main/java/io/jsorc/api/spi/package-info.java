/**
 * Seams between the API and its runtime: {@link io.jsorc.api.spi.ServiceRuntime} (provided by the MetaService
 * implementation, used by {@code CommonService}'s final state machine), {@link io.jsorc.api.spi.GlobTier}
 * (storage tiers of the glob store) and {@link io.jsorc.api.spi.AutomationProvider}.
 */
@Export
@Version("1.0.0")
package io.jsorc.api.spi;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
