/**
 * Seams between the platform's own parts: {@link io.jsorc.api.spi.GlobTier} (storage tiers of the glob store; {@link io.jsorc.api.spi.SharedGlobTier}, the
 * tier several nodes share),
 * {@link io.jsorc.api.spi.AutomationProvider} (the JsOrc loop, with its status types) and
 * {@link io.jsorc.api.spi.ManifestApplier} (the loop's cluster side). Versioned 0.x: the Redis tier and Kubernetes
 * will change it; it is not covered by the 1.0 compatibility promise of the API packages. 0.2.0: the loop's status,
 * {@code check}, the META_CONFIG and refresh notifications, {@code ManifestApplier}. 0.3.0: {@code SharedGlobTier}, {@code ClusterRefresh}.
 * 0.4.0: {@code ManifestApplier} is the whole Kubernetes side: {@code applyYaml}, {@code loadYaml}, {@code manifests}.
 */
@Export
@Version("0.4.0")
package io.jsorc.api.spi;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
