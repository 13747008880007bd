/**
 * Config globs: named JSON values with revisions, one write path for every editor
 * ({@link io.jsorc.api.config.GlobStore}) and the original's admin config API
 * ({@link io.jsorc.api.config.ConfigApi}). Values are plain {@code Map/List/String/Number/Boolean/null}.
 */
@Export
@Version("1.0.0")
package io.jsorc.api.config;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
