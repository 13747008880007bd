package io.jsorc.shell.internal;

import io.jsorc.api.MetaService;
import java.util.List;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;

/** Completes service names ({@link MetaService#serviceNames()}, {@code meta} included). */
@Service
public class ServiceNameCompleter implements Completer {

    @Reference
    MetaService meta;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        return new StringsCompleter(meta.serviceNames()).complete(session, commandLine, candidates);
    }
}
