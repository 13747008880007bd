package io.jsorc.itests.services;

import io.jsorc.api.CommonService;
import io.jsorc.api.Hook;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** Enabled by default ({@code <NAME>_CONFIG}); its first {@code failuresLeft} runs fail, then it runs. */
public class FlakyService extends CommonService<String> {

    private final AtomicInteger failuresLeft;

    public FlakyService(AtomicInteger failuresLeft) {
        this.failuresLeft = failuresLeft;
    }

    @Override
    protected Map<String, Object> buildConfig(Hook hook) {
        return hook.serviceGlob(serviceName().toUpperCase() + "_CONFIG", Map.of("enabled", true));
    }

    @Override
    protected String run(Hook hook) {
        if (failuresLeft.getAndDecrement() > 0) {
            throw new IllegalStateException("not ready yet");
        }
        return "up";
    }
}
