/**
 * The redis service ({@code jsorc:service-info redis}): {@link io.jsorc.redis.RedisService}, whose app is a Jedis
 * pool, with the original framework's wrappers. Other services reach it with {@code hook.service("redis")}.
 * Not covered by the API's 1.0 promise (0.x).
 */
@Export
@Version("0.1.0")
package io.jsorc.redis;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
