/**
 * Seams between the platform's own parts: {@link io.jsorc.api.spi.GlobTier} (storage tiers of the glob store) and
 * {@link io.jsorc.api.spi.AutomationProvider} (the JsOrc loop). Versioned 0.x: the Redis tier, the automation loop
 * and Kubernetes will change it; it is not covered by the 1.0 compatibility promise of the API packages.
 */
@Export
@Version("0.1.0")
package io.jsorc.api.spi;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
