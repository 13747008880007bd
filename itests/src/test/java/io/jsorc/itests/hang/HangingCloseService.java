package io.jsorc.itests.hang;

import io.jsorc.api.CommonService;
import io.jsorc.api.Hook;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A badly written service, packaged into a bundle at test time: its {@code closeApp} hangs. {@code interruptible}:
 * it waits forever but ends on interrupt. {@code stubborn}: it ignores interrupts until the system property
 * {@code itest.hang.release} is true.
 */
public class HangingCloseService extends CommonService<AutoCloseable> {

    private final String mode;

    public HangingCloseService(String mode) {
        this.mode = mode;
    }

    @Override
    protected Map<String, Object> buildConfig(Hook hook) {
        return Map.of("enabled", true);
    }

    @Override
    protected AutoCloseable run(Hook hook) {
        return () -> { };
    }

    @Override
    protected void closeApp(AutoCloseable app) throws Exception {
        if ("interruptible".equals(mode)) {
            new CountDownLatch(1).await();
            return;
        }
        while (!Boolean.getBoolean("itest.hang.release")) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100)); // ignores interrupts on purpose
        }
    }
}
