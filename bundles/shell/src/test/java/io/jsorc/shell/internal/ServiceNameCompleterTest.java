package io.jsorc.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jsorc.api.ServiceState;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServiceNameCompleterTest {

    @Test
    void completesServiceNamesFromMetaService() {
        ServiceNameCompleter completer = new ServiceNameCompleter();
        completer.meta = new FakeMetaService()
                .with(FakeMetaService.info("meta", ServiceState.RUNNING, true, null))
                .with(FakeMetaService.info("stripe", ServiceState.NOT_STARTED, false, null))
                .with(FakeMetaService.info("redis", ServiceState.NOT_STARTED, false, null));
        List<String> candidates = new ArrayList<>();
        completer.complete(null, new FakeCommandLine("jsorc:service-info", "st"), candidates);
        assertEquals(List.of("stripe"), candidates.stream().map(String::strip).toList());
    }
}
