/**
 * The JsOrc automation loop (bundle {@code io.jsorc.loop}): {@link io.jsorc.loop.internal.JsorcLoop} is the DS
 * component registering {@link io.jsorc.api.spi.AutomationProvider}; {@link io.jsorc.loop.internal.Loop} runs the
 * ticks on one thread; {@link io.jsorc.loop.internal.Supervisor} keeps per-service failures, backoff and quarantine;
 * {@link io.jsorc.loop.internal.LoopSettings} reads {@code META_CONFIG}. Nothing here is exported.
 */
package io.jsorc.loop.internal;
