package io.jsorc.api.runtime;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * What one service instance runs on, provided by the platform that built it (MetaService, or the test kit through
 * it). Internal: service authors never see, implement or call this; it is exported only to bundles that import it
 * with {@code jsorc.internal=true}.
 *
 * <p>This package depends on nothing but the JDK, so the API packages can use it without a package cycle.
 *
 * <p>Thread-safety: every method may be called from any thread.
 */
public interface InstanceRuntime {

    /** The service name this instance was built for. */
    String serviceName();

    /** How long {@code run}, {@code postRun} and the settings may take. */
    Duration startTimeout();

    /** How long stopping the daemons, and separately {@code closeApp}, may take. */
    Duration stopTimeout();

    /**
     * Runs {@code work} after every transition submitted before it has finished, never concurrently with another
     * transition of the same instance. Waits for it (bounded, interruptibly), except when called from the
     * instance's own daemon threads, which only enqueue. Called from inside a transition (or from author code a
     * transition is waiting for), runs inline.
     */
    void transition(Runnable work);

    /**
     * Queues {@code work} as a transition and returns at once (inline when called from inside a transition of this
     * instance, or from author code a transition waits for). For notifications that must never wait, such as a
     * service reporting its own failure from one of its threads.
     */
    void enqueue(Runnable work);

    /** Whether the instance is being retired (its registration left, it was replaced or released). */
    boolean isRetired();

    /**
     * Whether the current thread works for a call its caller stopped waiting for (an author call past its bound):
     * what it still does must change nothing, the caller has moved on. Its transitions and author calls are refused
     * with a {@link java.util.concurrent.CancellationException}, clean-up excepted.
     */
    boolean isAbandoned();

    /**
     * Calls author code on a thread of the platform with the service bundle's class loader as context class loader,
     * waiting at most {@code timeout}. Past it (or when the instance is retired meanwhile) the call is abandoned:
     * the thread is interrupted, a {@link java.util.concurrent.TimeoutException} whose stack trace is the hung
     * thread's is thrown, a result that arrives later is handed to {@code lateResult} and never published, and a
     * thread that ignores the interrupt is reported once. Author code calling transitions of its own instance runs
     * them inline. Once the instance is retired only clean-up runs ({@code closeApp}, {@code stopper <daemon>});
     * other calls throw {@link java.util.concurrent.CancellationException}.
     *
     * @param what a short name for logs and thread names ({@code run}, {@code closeApp}, ...)
     */
    <T> T callAuthor(String what, Duration timeout, Callable<T> code, Consumer<? super T> lateResult)
            throws Exception;

    /** A new, unstarted daemon thread named {@code jsorc/<service>/<daemon>} running {@code body}. */
    Thread newDaemonThread(String daemonName, Runnable body);

    /** A thread of this instance that did not stop within its bound: logged once with its stack, then shown. */
    void abandoned(String what, Thread thread);

    /**
     * Told of every state change, right after it happened, on the transition that made it. {@code from} and
     * {@code to} are {@code io.jsorc.api.ServiceState} constants. Must not throw; delivers events asynchronously.
     */
    void stateChanged(Enum<?> from, Enum<?> to, Throwable error);
}
