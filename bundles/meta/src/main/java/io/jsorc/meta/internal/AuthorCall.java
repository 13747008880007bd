package io.jsorc.meta.internal;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * One bounded call of foreign (service author) code on a pool thread, renamed {@code jsorc/<service>/<what>} and
 * with the bundle's class loader as context class loader while it runs. The caller waits at most the bound, or until
 * {@link #abandon} is called; then the call is abandoned: its thread is interrupted, given a short grace to end, and
 * reported when it ignored the interrupt; a result arriving later goes to {@code lateResult}, never to the caller.
 *
 * <p>Thread-safety: {@link #run} on the pool thread, {@link #await} on the caller, {@link #abandon} from any thread;
 * all state is guarded by {@code this}.
 */
final class AuthorCall<T> implements Runnable {

    /** How long an interrupted call may take to end before it counts as ignoring the interrupt. */
    static final long GRACE_MILLIS = 500;

    /** Told when the thread of an abandoned call ignored the interrupt. */
    interface Abandoned {
        /** @param call the call, to ask whether it is still running ({@link AuthorCall#isDone}) */
        void ignoredInterrupt(String what, Thread thread, AuthorCall<?> call);
    }

    private final String threadName;
    private final String what;
    private final ClassLoader loader;
    private final Callable<T> code;
    private final Consumer<? super T> lateResult;
    private volatile Runnable givingUp = () -> { };

    private final java.util.concurrent.atomic.AtomicBoolean finished = new java.util.concurrent.atomic.AtomicBoolean();
    private Thread runner;
    private boolean done;
    private boolean abandoned;
    private String abandonReason;
    private T result;
    private Throwable error;

    /** @param lateResult given what {@code code} returns after the call was abandoned (a late app, to close) */
    AuthorCall(String threadName, String what, ClassLoader loader, Callable<T> code, Consumer<? super T> lateResult) {
        this.threadName = threadName;
        this.what = what;
        this.loader = loader;
        this.code = code;
        this.lateResult = lateResult;
    }

    /**
     * {@code action} runs the moment the caller gives the call up (its bound passed, it was interrupted or
     * {@link #abandon}ed), before the call's thread is interrupted: whatever that thread does from its interrupt on
     * already belongs to an abandoned call. Runs on the caller's thread, holding this call's monitor: it must not
     * wait for anything but a short lock.
     */
    AuthorCall<T> whenGivenUp(Runnable action) {
        this.givingUp = action;
        return this;
    }

    /** Starts the call on {@code pool} and waits for it as {@link #await}. */
    static <T> T call(Executor pool, AuthorCall<T> call, Duration bound, Abandoned report) throws Exception {
        pool.execute(call);
        return call.await(bound, report);
    }

    @Override
    public void run() {
        Thread thread = Thread.currentThread();
        String poolName = thread.getName();
        ClassLoader poolLoader = thread.getContextClassLoader();
        synchronized (this) {
            if (abandoned) {
                finished.set(true);
                return; // given up before it began: the author's code never runs
            }
            runner = thread;
        }
        thread.setName(threadName);
        thread.setContextClassLoader(loader);
        T value = null;
        Throwable failure = null;
        try {
            value = code.call();
        } catch (Throwable e) {
            failure = e;
        }
        boolean late;
        finished.set(true);
        synchronized (this) {
            runner = null;
            done = true;
            late = abandoned;
            if (!late) {
                result = value;
                error = failure;
            }
            notifyAll();
        }
        try {
            if (late && value != null && lateResult != null) {
                lateResult.accept(value);
            }
        } finally {
            Thread.interrupted();
            thread.setContextClassLoader(poolLoader);
            thread.setName(poolName);
        }
    }

    /** Whether the author's code has returned (or never ran). */
    synchronized boolean isDone() {
        return done || (abandoned && runner == null);
    }

    /** Whether the author's code still runs, without keeping this call (and what it captured) reachable. */
    java.util.function.BooleanSupplier stillRunning() {
        java.util.concurrent.atomic.AtomicBoolean ended = finished;
        return () -> !ended.get();
    }

    /** What is called ({@code run}, {@code closeApp}, ...). */
    String what() {
        return what;
    }

    /** Gives up the call now (the service is being removed); a waiting {@link #await} returns at once. */
    synchronized void abandon(String reason) {
        if (!done) {
            abandonReason = reason;
            notifyAll();
        }
    }

    /**
     * Waits for the result at most {@code bound}; rethrows the call's exception.
     *
     * @throws TimeoutException past the bound (its stack trace is the hung thread's)
     * @throws CancellationException when abandoned through {@link #abandon}
     * @throws InterruptedException when the caller was interrupted (the call is abandoned too)
     */
    T await(Duration bound, Abandoned report) throws Exception {
        long deadline = System.nanoTime() + bound.toNanos();
        Thread hung;
        StackTraceElement[] stack;
        boolean interrupted = false;
        boolean ignored;
        synchronized (this) {
            try {
                while (!done && abandonReason == null) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
            if (done) {
                return outcome(interrupted);
            }
            abandoned = true;
            givingUp.run();
            hung = runner;
            stack = hung == null ? new StackTraceElement[0] : hung.getStackTrace();
            if (hung != null) {
                hung.interrupt();
            }
            long graceEnd = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(GRACE_MILLIS);
            while (hung != null && !done) {
                long left = graceEnd - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                } catch (InterruptedException e) {
                    interrupted = true;
                    break;
                }
            }
            ignored = hung != null && !done;
        }
        if (ignored) {
            report.ignoredInterrupt(what, hung, this);
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
            throw new InterruptedException(what + " abandoned: the waiting thread was interrupted");
        }
        if (abandonReason != null) {
            CancellationException cancelled = new CancellationException(what + " abandoned: " + abandonReason);
            cancelled.setStackTrace(stack);
            throw cancelled;
        }
        TimeoutException timeout = new TimeoutException(what + " did not finish within " + seconds(bound) + " s");
        timeout.setStackTrace(stack);
        throw timeout;
    }

    private T outcome(boolean interrupted) throws Exception {
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (error == null) {
            return result;
        }
        if (error instanceof Exception exception) {
            throw exception;
        }
        if (error instanceof Error fatal) {
            throw fatal;
        }
        throw new IllegalStateException(error);
    }

    static String seconds(Duration bound) {
        return bound.toMillis() % 1000 == 0 ? Long.toString(bound.toSeconds())
                : String.format(java.util.Locale.ROOT, "%.1f", bound.toMillis() / 1000.0);
    }
}
