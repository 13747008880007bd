package io.jsorc.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigNameCompleterTest {

    private List<String> complete(ConfigNameCompleter completer, String prefix) {
        List<String> candidates = new ArrayList<>();
        completer.complete(null, new FakeCommandLine("jsorc:config-get", prefix), candidates);
        return candidates.stream().map(String::strip).sorted().toList();
    }

    @Test
    void completesValidNames() {
        ConfigNameCompleter completer = new ConfigNameCompleter();
        completer.configApi = new FakeConfigApi();
        assertEquals(List.of("META_CONFIG", "STRIPE_CONFIG"), complete(completer, ""));
    }

    @Test
    void storedNamesFromTheGlobStoreAreAdded() {
        ConfigNameCompleter completer = new ConfigNameCompleter();
        completer.configApi = new FakeConfigApi();
        completer.globStore = new FakeGlobStore(List.of("STRIPE_MANIFEST", "STRIPE_CONFIG"));
        assertEquals(List.of("STRIPE_CONFIG", "STRIPE_MANIFEST"), complete(completer, "STRIPE"));
    }
}
