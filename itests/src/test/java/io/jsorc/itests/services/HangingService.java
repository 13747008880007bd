package io.jsorc.itests.services;

import io.jsorc.api.CommonService;
import io.jsorc.api.Hook;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/** A badly written service: run waits for {@link #RELEASE} and ignores interrupts. */
public class HangingService extends CommonService<String> {

    public static final CountDownLatch RELEASE = new CountDownLatch(1);

    @Override
    protected Map<String, Object> buildConfig(Hook hook) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("enabled", true);
        return config;
    }

    @Override
    protected String run(Hook hook) {
        while (true) {
            try {
                RELEASE.await();
                return "late";
            } catch (InterruptedException e) {
                // ignored on purpose: the platform must still time this run out
            }
        }
    }
}
