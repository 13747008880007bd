package io.jsorc.api;

import io.jsorc.api.runtime.Binder;
import io.jsorc.api.runtime.InstanceControl;
import io.jsorc.api.runtime.InstanceRuntime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * A runtime for the API's own tests: transitions inline under a re-entrant lock, author code inline, every state
 * change recorded. Calls named in {@link #abandon} are run on a thread of their own and abandoned at once (as a
 * timeout would), their late result handed to the consumer when it arrives.
 */
class TestRuntime implements InstanceRuntime {

    final ReentrantLock lock = new ReentrantLock();
    final List<String> changes = new CopyOnWriteArrayList<>();
    final List<String> errors = new CopyOnWriteArrayList<>();
    final List<String> authorCalls = new CopyOnWriteArrayList<>();
    /** The bound each author call was given, by what it called. */
    final Map<String, Duration> bounds = new java.util.concurrent.ConcurrentHashMap<>();
    final List<String> abandonedThreads = new CopyOnWriteArrayList<>();
    final Set<String> abandon = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Calls named here are abandoned only once their whole timeout has passed, as a real hung call is. */
    final Set<String> useWholeTimeout = java.util.concurrent.ConcurrentHashMap.newKeySet();
    Duration stopTimeout = Duration.ofSeconds(2);
    volatile boolean retired;
    /** Queued transitions, run one after another on their own thread, under the same lock. */
    private final java.util.concurrent.ExecutorService queue = java.util.concurrent.Executors.newSingleThreadExecutor(
            r -> {
                Thread t = new Thread(r, "test/queue");
                t.setDaemon(true);
                return t;
            });
    Duration startTimeout = Duration.ofSeconds(5);
    private final String name;

    TestRuntime(String name) {
        this.name = name;
    }

    /** Binds {@code service} to a new runtime named {@code name}; returns its control. */
    static InstanceControl<Hook> bind(CommonService<?> service, TestRuntime runtime) {
        return Binder.bind(service, runtime);
    }

    @Override
    public String serviceName() {
        return name;
    }

    @Override
    public Duration startTimeout() {
        return startTimeout;
    }

    @Override
    public Duration stopTimeout() {
        return stopTimeout;
    }

    @Override
    public void transition(Runnable work) {
        lock.lock();
        try {
            work.run();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void enqueue(Runnable work) {
        if (lock.isHeldByCurrentThread()) {
            work.run();
        } else {
            queue.execute(() -> transition(work));
        }
    }

    /** Waits until every transition queued so far ran. */
    void drain() throws Exception {
        queue.submit(() -> { }).get(10, java.util.concurrent.TimeUnit.SECONDS);
    }

    @Override
    public boolean isAbandoned() {
        return false;
    }

    @Override
    public boolean isRetired() {
        return retired;
    }

    @Override
    public <T> T callAuthor(String what, Duration timeout, Callable<T> code, Consumer<? super T> lateResult)
            throws Exception {
        authorCalls.add(what);
        bounds.put(what, timeout);
        if (retired && !"closeApp".equals(what) && !what.startsWith("stopper ")) {
            throw new java.util.concurrent.CancellationException(what + " not called: retired");
        }
        if (!abandon.contains(what)) {
            return code.call();
        }
        Thread late = new Thread(() -> {
            try {
                T result = code.call();
                if (result != null && lateResult != null) {
                    lateResult.accept(result);
                }
            } catch (Exception e) {
                // an abandoned call's failure goes nowhere
            }
        }, "test/" + what);
        late.start();
        if (useWholeTimeout.contains(what)) {
            long end = System.nanoTime() + timeout.toNanos(); // join(ms) may return a fraction of a ms early
            for (long left = timeout.toNanos(); left > 0 && late.isAlive(); left = end - System.nanoTime()) {
                late.join(java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(left) + 1);
            }
        }
        throw new TimeoutException(what + " did not finish within " + timeout.toSeconds() + " s");
    }

    @Override
    public Thread newDaemonThread(String daemonName, Runnable body) {
        Thread thread = new Thread(body, "jsorc/" + name + "/" + daemonName);
        thread.setDaemon(true);
        return thread;
    }

    @Override
    public void abandoned(String what, Thread thread) {
        abandonedThreads.add(what + "@" + thread.getName());
    }

    @Override
    public void stateChanged(Enum<?> from, Enum<?> to, Throwable error) {
        changes.add(from + ">" + to);
        if (error != null) {
            errors.add(error.getMessage());
        }
    }
}
