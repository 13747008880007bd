package io.jsorc.shell.internal;

import io.jsorc.api.config.GlobException;
import io.jsorc.api.config.GlobStore;
import io.jsorc.api.config.Secrets;
import io.jsorc.api.config.StoredGlob;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/**
 * {@code jsorc:config-diff NAME REV1 REV2}: what changed from one kept revision to another, key path by key path
 * ({@code + path: value} added, {@code - path: value} removed, {@code ~ path: old -> new} changed; lists compared
 * whole). A secret's value is never shown: a changed secret reads {@code ~ key: ******** (changed)}.
 */
@Command(scope = "jsorc", name = "config-diff", description = "Shows what changed between two kept revisions of a "
        + "glob, key by key (secrets masked).")
@Service
public class ConfigDiffCommand implements Action {

    @Reference
    GlobStore globs;

    @Argument(index = 0, name = "name", description = "The glob name", required = true)
    @Completion(ConfigNameCompleter.class)
    String name;

    @Argument(index = 1, name = "from", description = "The older revision", required = true)
    long from;

    @Argument(index = 2, name = "to", description = "The newer revision", required = true)
    long to;

    PrintStream out = System.out;

    @Override
    public Object execute() throws Exception {
        return Refused.guard(() -> {
            Object before = globs.parse(revision(globs, name, from).json());
            Object after = globs.parse(revision(globs, name, to).json());
            List<String> lines = new ArrayList<>();
            // beside the raw values, their masked copies: what is secret by its shape (a Kubernetes Secret's data,
            // META_CONFIG.kubernetes.config) is found there, and a whole added or removed subtree shown from there
            diff("", before, after, Secrets.mask(before), Secrets.mask(after), Secrets.isSecretKey(name), lines);
            if (lines.isEmpty()) {
                out.println("Revisions " + from + " and " + to + " of " + name + " hold the same value");
            }
            lines.forEach(out::println);
        });
    }

    /** A kept revision, or a refusal naming the kept ones. */
    static StoredGlob revision(GlobStore globs, String name, long revision) {
        List<StoredGlob> kept = globs.history(name);
        return kept.stream().filter(g -> g.revision() == revision).findFirst().orElseThrow(() -> new GlobException(
                GlobException.Reason.INVALID_VALUE, "Revision " + revision + " of " + name + " is not kept on this "
                        + "node; kept: " + kept.stream().map(StoredGlob::revision).toList()));
    }

    private void diff(String path, Object a, Object b, Object maskedA, Object maskedB, boolean secret,
            List<String> lines) {
        if (a instanceof Map<?, ?> left && b instanceof Map<?, ?> right) {
            Set<Object> keys = new LinkedHashSet<>(left.keySet());
            keys.addAll(right.keySet());
            for (Object key : keys) {
                String at = path.isEmpty() ? key.toString() : path + "." + key;
                boolean hidden = secret || Secrets.isSecretKey(key.toString());
                Object ma = maskedA instanceof Map<?, ?> m ? m.get(key) : null;
                Object mb = maskedB instanceof Map<?, ?> m ? m.get(key) : null;
                if (!right.containsKey(key)) {
                    lines.add("- " + at + ": " + shown(ma, hidden));
                } else if (!left.containsKey(key)) {
                    lines.add("+ " + at + ": " + shown(mb, hidden));
                } else {
                    diff(at, left.get(key), right.get(key), ma, mb, hidden, lines);
                }
            }
            return;
        }
        if (!Objects.equals(a, b)) {
            String at = path.isEmpty() ? "(value)" : path;
            boolean concealed = secret || (Secrets.MASK.equals(maskedA) && !Secrets.MASK.equals(a))
                    || (Secrets.MASK.equals(maskedB) && !Secrets.MASK.equals(b));
            lines.add(concealed ? "~ " + at + ": " + Secrets.MASK + " (changed)"
                    : "~ " + at + ": " + shown(maskedA, false) + " -> " + shown(maskedB, false));
        }
    }

    private String shown(Object value, boolean secret) {
        return secret && value != null ? Secrets.MASK : Secrets.maskedJson("value", value);
    }
}
