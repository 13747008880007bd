/**
 * Whiteboard listeners for service state changes and glob changes. Events are delivered asynchronously, in
 * order per name, and mirrored to EventAdmin under {@link io.jsorc.api.event.Topics}.
 */
@Export
@Version("1.1.0")
package io.jsorc.api.event;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
