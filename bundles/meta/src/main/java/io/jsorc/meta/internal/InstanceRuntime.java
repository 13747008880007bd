package io.jsorc.meta.internal;

import io.jsorc.api.CommonService;
import io.jsorc.api.ServiceState;
import io.jsorc.api.spi.ServiceRuntime;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runtime of one service instance: its transitions run in order on the shared transition pool (keyed by this
 * runtime), {@code run} runs on a run thread with the start timeout, foreign code runs with the service bundle's
 * class loader as context class loader, and state changes go to the {@link StateEvents}.
 */
final class InstanceRuntime implements ServiceRuntime {

    private static final Logger LOG = LoggerFactory.getLogger(InstanceRuntime.class);

    private final ServiceSource source;
    private final ClassLoader loader;
    private final KeyedSerialExecutor lanes;
    private final Executor runs;
    private final StateEvents events;
    private final boolean background;
    private volatile CommonService<?> instance;

    InstanceRuntime(ServiceSource source, ClassLoader loader, KeyedSerialExecutor lanes, Executor runs,
            StateEvents events, boolean background) {
        this.source = source;
        this.loader = loader;
        this.lanes = lanes;
        this.runs = runs;
        this.events = events;
        this.background = background;
    }

    void attach(CommonService<?> service) {
        this.instance = service;
        service.bind(this);
    }

    ServiceSource source() {
        return source;
    }

    @Override
    public String serviceName() {
        return source.name();
    }

    @Override
    public void transition(Runnable work) {
        lanes.call(this, () -> {
            work.run();
            return null;
        });
    }

    @Override
    public <A> A callRun(Callable<A> run, Consumer<? super A> lateResult) throws Exception {
        Object lock = new Object();
        Thread[] runner = new Thread[1];
        boolean[] abandoned = new boolean[1];
        CompletableFuture<A> result = new CompletableFuture<>();
        runs.execute(() -> {
            Thread thread = Thread.currentThread();
            String poolName = thread.getName();
            thread.setName("jsorc/" + source.name() + "/run");
            synchronized (lock) {
                runner[0] = thread;
            }
            A built = null;
            Throwable error = null;
            try {
                built = callForeign(run);
            } catch (Throwable e) {
                error = e;
            } finally {
                synchronized (lock) {
                    runner[0] = null;
                }
                Thread.interrupted();
                thread.setName(poolName);
            }
            boolean late;
            synchronized (lock) {
                late = abandoned[0];
                if (!late) {
                    if (error != null) {
                        result.completeExceptionally(error);
                    } else {
                        result.complete(built);
                    }
                }
            }
            if (late && built != null) {
                lateResult.accept(built);
            }
        });
        long seconds = source.startTimeoutSeconds();
        try {
            return result.get(seconds, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw asException(e.getCause());
        } catch (TimeoutException | InterruptedException e) {
            // abandoned (timed out, or this transition was interrupted): a result arriving later is closed
            StackTraceElement[] stack;
            synchronized (lock) {
                if (result.isDone() && !result.isCompletedExceptionally()) {
                    return result.getNow(null);
                }
                abandoned[0] = true;
                Thread hung = runner[0];
                stack = hung == null ? new StackTraceElement[0] : hung.getStackTrace();
                if (hung != null) {
                    hung.interrupt();
                }
            }
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
                throw e;
            }
            TimeoutException timeout = new TimeoutException("run did not finish within " + seconds + " s");
            timeout.setStackTrace(stack);
            throw timeout;
        }
    }

    @Override
    public <T> T callForeign(Callable<T> code) throws Exception {
        Thread current = Thread.currentThread();
        ClassLoader previous = current.getContextClassLoader();
        current.setContextClassLoader(loader);
        try {
            return code.call();
        } finally {
            current.setContextClassLoader(previous);
        }
    }

    @Override
    public Thread newDaemonThread(String daemonName, Runnable body) {
        Thread thread = new Thread(body, "jsorc/" + source.name() + "/" + daemonName);
        thread.setDaemon(true);
        thread.setContextClassLoader(loader);
        return thread;
    }

    @Override
    public void stateChanged(ServiceState from, ServiceState to, Throwable error) {
        if (background && to == ServiceState.RUNNING) {
            LOG.info("Service {} is RUNNING", source.name());
        }
        events.stateChanged(source.name(), from, to, error, source.bundle(), background);
    }

    @Override
    public String toString() {
        return "runtime of " + source.name() + (background ? " (background)" : " (disposable)") + " " + instance;
    }

    private static Exception asException(Throwable cause) {
        if (cause instanceof Exception exception) {
            return exception;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        return new IllegalStateException(cause);
    }
}
