/**
 * Internal seam between the API's {@code CommonService} and the runtime that drives it (MetaService). Not part of
 * the published API: exported only to bundles importing it with {@code jsorc.internal=true} (a mandatory
 * attribute), versioned 0.x and free to change. It depends on the JDK only.
 */
@Version("0.2.0")
package io.jsorc.api.runtime;

import org.osgi.annotation.versioning.Version;
