/**
 * The {@code jsorc:*} Karaf console commands. Each command is a thin {@link org.apache.karaf.shell.api.action.Action}
 * that calls {@link io.jsorc.api.MetaService} or {@link io.jsorc.api.config.ConfigApi} and prints with
 * {@link org.apache.karaf.shell.support.table.ShellTable}. A refused call fails the command with the API's message
 * (the shell prints it; {@code bin/client} exits non-zero) and changes nothing. Exports nothing.
 */
package io.jsorc.shell.internal;
