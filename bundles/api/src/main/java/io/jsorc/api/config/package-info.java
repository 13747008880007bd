/**
 * Config globs: named JSON values with revisions, one write path for every editor
 * ({@link io.jsorc.api.config.GlobStore}) and the original's admin config API
 * ({@link io.jsorc.api.config.ConfigApi}). Values are plain {@code Map/List/String/Number/Boolean/null}.
 * 1.1: {@link io.jsorc.api.config.Secrets} (which values are secret, masking, secret references).
 */
@Export
@Version("1.2.0")
package io.jsorc.api.config;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
