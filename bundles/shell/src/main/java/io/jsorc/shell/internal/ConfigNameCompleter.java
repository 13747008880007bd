package io.jsorc.shell.internal;

import io.jsorc.api.config.ConfigApi;
import io.jsorc.api.config.GlobStore;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;

/**
 * Completes config names: the valid ones ({@link ConfigApi#configIndex()}) and the stored ones (every stored glob
 * when a {@link GlobStore} is available, for {@code --no-check}; else the stored valid ones).
 */
@Service
public class ConfigNameCompleter implements Completer {

    @Reference
    ConfigApi configApi;

    @Reference(optional = true)
    GlobStore globStore;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        Set<String> names = new TreeSet<>(configApi.configIndex());
        GlobStore store = globStore;
        names.addAll(store != null ? store.list() : configApi.configList());
        return new StringsCompleter(names).complete(session, commandLine, candidates);
    }
}
