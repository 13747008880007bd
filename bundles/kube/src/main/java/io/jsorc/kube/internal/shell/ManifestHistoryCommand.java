package io.jsorc.kube.internal.shell;

import io.jsorc.api.config.GlobStore;
import io.jsorc.api.config.StoredGlob;
import io.jsorc.kube.internal.ManifestYaml;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/**
 * {@code jsorc:manifest-history NAME}: the manifest's versions (its glob history: 20 revisions, shared in Redis with
 * several nodes): revision, time, by whom, config_version, objects per kind. {@code jsorc:config-rollback NAME REV}
 * brings one back (applied like any new version).
 */
@Command(scope = "jsorc", name = "manifest-history", description = "Lists the versions of manifest NAME (newest "
        + "first): revision, time, by whom, config_version, objects per kind. Roll back with jsorc:config-rollback.")
@Service
public class ManifestHistoryCommand implements Action {

    @Reference
    GlobStore globs;

    @Argument(index = 0, name = "name", description = "The manifest glob, e.g. REDIS_MANIFEST", required = true)
    String name;

    PrintStream out = System.out;

    @Override
    public Object execute() throws Exception {
        return Console.guard(() -> {
            List<StoredGlob> revisions = globs.history(name);
            if (revisions.isEmpty()) {
                throw new IllegalArgumentException("No version of " + name + " is kept");
            }
            ShellTable table = new ShellTable();
            table.column("Revision");
            table.column("Time");
            table.column("By");
            table.column("config_version");
            table.column("Objects").maxSize(80);
            for (StoredGlob revision : revisions) {
                Object value = revision.json() == null ? null : globs.parse(revision.json());
                StringBuilder kinds = new StringBuilder();
                String version = "-";
                if (value instanceof Map<?, ?> manifest) {
                    for (Map.Entry<?, ?> kind : manifest.entrySet()) {
                        if (!String.valueOf(kind.getKey()).startsWith("__") && kind.getValue() instanceof List<?> l) {
                            kinds.append(kinds.length() == 0 ? "" : ", ").append(l.size()).append(' ')
                                    .append(kind.getKey());
                        }
                    }
                    @SuppressWarnings("unchecked")
                    java.math.BigDecimal highest = ManifestYaml.highestVersion((Map<String, Object>) manifest);
                    version = highest == null ? "-" : highest.toPlainString();
                } else if (value == null) {
                    kinds.append("(deleted)");
                }
                table.addRow().addContent(revision.revision(), revision.time(), revision.origin(), version, kinds);
            }
            table.print(out);
        });
    }
}
