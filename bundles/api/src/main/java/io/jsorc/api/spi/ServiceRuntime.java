package io.jsorc.api.spi;

import io.jsorc.api.ServiceState;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.osgi.annotation.versioning.ProviderType;

/**
 * What a {@link io.jsorc.api.CommonService} instance runs on: one runtime per instance, bound once by the
 * MetaService (or the test kit) that built it. Service authors never call this.
 *
 * <p>Thread-safety: every method may be called from any thread.
 */
@ProviderType
public interface ServiceRuntime {

    /** The service name this instance was built for. */
    String serviceName();

    /**
     * Runs {@code work} after every transition submitted before it has finished, never concurrently with another
     * transition of the same instance, and waits for it. Called from the transition thread itself, runs inline.
     */
    void transition(Runnable work);

    /**
     * Calls the author's {@code run} with the start timeout and the bundle's class loader as context class loader.
     * Past the timeout the calling thread is interrupted and a {@link java.util.concurrent.TimeoutException} whose
     * stack trace is the hung thread's is thrown; a result that arrives later is handed to {@code lateResult}
     * (which closes it) and never published.
     */
    <A> A callRun(Callable<A> run, Consumer<? super A> lateResult) throws Exception;

    /** Calls foreign (author) code with the bundle's class loader as context class loader. */
    <T> T callForeign(Callable<T> code) throws Exception;

    /** A new, unstarted daemon thread named {@code jsorc/<service>/<daemon>} running {@code body}. */
    Thread newDaemonThread(String daemonName, Runnable body);

    /** Told of every state change, after it happened; delivers events asynchronously. Must not throw. */
    void stateChanged(ServiceState from, ServiceState to, Throwable error);
}
