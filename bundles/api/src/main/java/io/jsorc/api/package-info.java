/**
 * The JsOrc service contract: {@link io.jsorc.api.CommonService} (the life cycle a service author extends),
 * {@link io.jsorc.api.Hook} (what a service sees of configuration and of other services),
 * {@link io.jsorc.api.MetaService} (the registry of services) and the service-property constants.
 */
@Export
@Version("1.2.0")
package io.jsorc.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
