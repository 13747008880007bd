package io.jsorc.meta.internal;

import io.jsorc.api.CommonService;
import io.jsorc.api.Hook;
import io.jsorc.api.ServiceState;
import io.jsorc.api.runtime.Binder;
import io.jsorc.api.runtime.InstanceControl;
import io.jsorc.api.runtime.InstanceRuntime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One service instance as MetaService runs it: its {@link InstanceRuntime}. Transitions run one at a time on the
 * instance's own lane; author code runs as bounded {@link AuthorCall}s; daemons are threads it creates. Retiring the
 * instance abandons the author call in flight, turns every later transition into nothing but the close, and closes
 * it within the stop bounds.
 *
 * <p>Thread-safety: thread-safe. {@code inline} holds the one thread allowed to run this instance's transitions
 * inline: the lane thread running a transition, or the author thread that transition waits for (so author code calling
 * its own {@code reset} does not wait for itself). Only the holder hands it down to an author call and takes it back;
 * an author thread its caller stopped waiting for is cut off, with every thread it handed it to.
 */
final class Instance implements InstanceRuntime {

    private static final Logger LOG = LoggerFactory.getLogger(Instance.class);

    /**
     * A thread of this instance that did not stop within its bound, while {@code running} says so. Holds no strong
     * reference to the thread (a thread keeps its context class loader even after it ended) nor to the author's code.
     */
    record Abandoned(String what, String threadName, Instant since, BooleanSupplier running) {

        String describe() {
            return threadName + ": " + what + " (since " + since + ")";
        }
    }

    /** A thread holding the right to run transitions inline, handed to it by {@code parent} (null: a lane thread). */
    private static final class Holder {
        final Thread thread;
        final Holder parent;
        volatile boolean cut;

        Holder(Thread thread, Holder parent) {
            this.thread = thread;
            this.parent = parent;
        }

        /** Whether this holder or one it descends from was cut off. */
        boolean isCut() {
            for (Holder h = this; h != null; h = h.parent) {
                if (h.cut) {
                    return true;
                }
            }
            return false;
        }
    }

    private final ServiceSource source;
    private final CommonService<?> service;
    private final ClassLoader loader;
    private final boolean background;
    private final MetaExecutors executors;
    private final KeyedSerialExecutor lanes;
    private final StateEvents events;
    private final InstanceControl<Hook> control;
    private final Set<Thread> daemonThreads = ConcurrentHashMap.newKeySet();
    private final List<Abandoned> abandoned = new CopyOnWriteArrayList<>();
    private final Object inlineLock = new Object();
    private volatile Holder inline;
    /** The holder the current thread was made (lane thread or author thread of this instance), while it is one. */
    private final ThreadLocal<Holder> own = new ThreadLocal<>();
    private final List<AuthorCall<?>> inFlight = new CopyOnWriteArrayList<>();
    private volatile boolean retired;
    private volatile boolean closing;
    private CompletableFuture<Void> closed;

    Instance(ServiceSource source, CommonService<?> service, boolean background, MetaExecutors executors,
            KeyedSerialExecutor lanes, StateEvents events) {
        this.source = source;
        this.service = service;
        this.loader = service.getClass().getClassLoader();
        this.background = background;
        this.executors = executors;
        this.lanes = lanes;
        this.events = events;
        this.control = Binder.bind(service, this);
    }

    ServiceSource source() {
        return source;
    }

    CommonService<?> service() {
        return service;
    }

    InstanceControl<Hook> control() {
        return control;
    }

    boolean isBackground() {
        return background;
    }

    /** The abandoned threads still running. */
    List<Abandoned> abandonedThreads() {
        abandoned.removeIf(entry -> !entry.running().getAsBoolean());
        return List.copyOf(abandoned);
    }

    // ---------------------------------------------------------------- InstanceRuntime

    @Override
    public String serviceName() {
        return source.name();
    }

    @Override
    public Duration startTimeout() {
        return source.startTimeout();
    }

    @Override
    public Duration stopTimeout() {
        return source.stopTimeout();
    }

    /** The thread that may run transitions inline now, or null. */
    Thread inlineThread() {
        Holder h = inline;
        return h == null || h.isCut() ? null : h.thread;
    }

    /** The holder {@code thread} is, when it may run transitions inline now; else null. */
    private Holder inlineHolder(Thread thread) {
        Holder h = inline;
        return h != null && h.thread == thread && !h.isCut() ? h : null;
    }

    /** Runs {@code work} with the current thread as the (lane's) inline holder, then puts back what was there. */
    private void asLaneHolder(Runnable work) {
        Holder previous;
        Holder lane = new Holder(Thread.currentThread(), null);
        synchronized (inlineLock) {
            previous = inline;
            inline = lane;
        }
        Holder previousOwn = own.get();
        own.set(lane);
        try {
            work.run();
        } finally {
            restoreOwn(previousOwn);
            synchronized (inlineLock) {
                inline = previous;
            }
        }
    }

    private void restoreOwn(Holder previous) {
        if (previous == null) {
            own.remove();
        } else {
            own.set(previous);
        }
    }

    @Override
    public boolean isAbandoned() {
        Holder self = own.get();
        return self != null && self.isCut();
    }

    private CancellationException abandonedCall(String what) {
        return new CancellationException(what + " of " + source.name()
                + ": the call it belongs to was abandoned at its bound");
    }

    @Override
    public void transition(Runnable work) {
        Thread me = Thread.currentThread();
        if (isAbandoned()) {
            throw abandonedCall("a transition");
        }
        if (inlineHolder(me) != null) {
            work.run();
            return;
        }
        if (daemonThreads.contains(me)) {
            lanes.execute(this, onLane(work)); // a daemon never waits for a transition that may be stopping it
            return;
        }
        Runnable onLane = onLane(work);
        lanes.call(this, () -> {
            onLane.run();
            return null;
        }, transitionBound(), "a transition of service " + source.name());
    }

    @Override
    public void enqueue(Runnable work) {
        if (inlineHolder(Thread.currentThread()) != null) {
            work.run();
        } else {
            lanes.execute(this, onLane(work));
        }
    }

    /** {@code work} as it runs on the lane: skipped once retired (but the close), with this thread inline. */
    private Runnable onLane(Runnable work) {
        return () -> {
            if (retired && !closing) {
                return;
            }
            asLaneHolder(work);
        };
    }

    @Override
    public boolean isRetired() {
        return retired || source.isDeparted();
    }

    /** Clean-up still runs once retired: closing the app and the daemons' stoppers. */
    private static boolean cleanUp(String what) {
        return "closeApp".equals(what) || what.startsWith("stopper ");
    }

    @Override
    public <T> T callAuthor(String what, Duration timeout, Callable<T> code, Consumer<? super T> lateResult)
            throws Exception {
        if (isAbandoned() && !cleanUp(what)) {
            throw abandonedCall(what);
        }
        Holder mine = inlineHolder(Thread.currentThread()); // null: not ours to hand down (a daemon, say)
        Holder[] handed = new Holder[1];
        Callable<T> body = mine == null ? code : () -> {
            Holder child;
            synchronized (inlineLock) {
                if (handed[0] == null) { // else: a placeholder, cut before this began
                    handed[0] = new Holder(Thread.currentThread(), mine);
                    if (inline == mine) {
                        inline = handed[0];
                    }
                }
                child = handed[0];
            }
            own.set(child);
            try {
                return code.call();
            } finally {
                own.remove();
            }
        };
        AuthorCall<T> call = new AuthorCall<>("jsorc/" + source.name() + "/" + what, what, loader, body, lateResult);
        if (mine != null) {
            // abandoned at its bound, before its interrupt: from then on it and whoever it handed to are cut off
            call.whenGivenUp(() -> {
                synchronized (inlineLock) {
                    handed[0] = handed[0] == null ? new Holder(null, mine) : handed[0];
                    handed[0].cut = true;
                }
            });
        }
        synchronized (this) { // against retire(): a call either is refused or is in flight when retire abandons
            if (isRetired() && !cleanUp(what)) {
                throw new CancellationException(what + " of " + source.name()
                        + " not called: the service is being removed");
            }
            inFlight.add(call);
        }
        T result;
        try {
            result = AuthorCall.call(executors.authors(), call, timeout,
                    (w, thread, hung) -> abandoned(w, thread, hung.stillRunning()));
        } catch (Exception e) {
            if (mine != null && mine.isCut()) { // the caller was cut off while it waited: its outcome goes nowhere
                CancellationException cut = abandonedCall(what);
                cut.initCause(e);
                throw cut;
            }
            throw e;
        } finally {
            inFlight.remove(call);
            if (mine != null) {
                synchronized (inlineLock) { // a call given up is cut already (whenGivenUp)
                    if (!mine.isCut()) {
                        inline = mine;
                    }
                }
            }
        }
        if (mine != null && mine.isCut()) {
            if (result != null && lateResult != null) {
                lateResult.accept(result); // an app nobody will publish is closed
            }
            throw abandonedCall(what);
        }
        return result;
    }

    @Override
    public Thread newDaemonThread(String daemonName, Runnable body) {
        Thread[] self = new Thread[1];
        Thread thread = new Thread(() -> {
            try {
                body.run();
            } finally {
                daemonThreads.remove(self[0]);
            }
        }, "jsorc/" + source.name() + "/" + daemonName);
        self[0] = thread;
        thread.setDaemon(true);
        thread.setContextClassLoader(loader);
        daemonThreads.add(thread);
        return thread;
    }

    @Override
    public void abandoned(String what, Thread thread) {
        java.lang.ref.WeakReference<Thread> weak = new java.lang.ref.WeakReference<>(thread);
        abandoned(what, thread, () -> {
            Thread t = weak.get();
            return t != null && t.isAlive();
        });
    }

    void abandoned(String what, Thread thread, BooleanSupplier running) {
        abandoned.add(new Abandoned(what, thread.getName(), Instant.now(), running));
        StringBuilder stack = new StringBuilder();
        for (StackTraceElement element : thread.getStackTrace()) {
            stack.append("\n\tat ").append(element);
        }
        LOG.warn("Service {} ({}): {} on thread {} ignored its interrupt and did not end within its bound; it is "
                + "left running and keeps the bundle's classes loaded until it ends.{}", source.name(),
                source.bundle(), what, thread.getName(), stack);
    }

    @Override
    public void stateChanged(Enum<?> from, Enum<?> to, Throwable error) {
        if (background && to == ServiceState.RUNNING) {
            LOG.info("Service {} is RUNNING", source.name());
        }
        events.stateChanged(source.name(), (ServiceState) from, (ServiceState) to,
                to == ServiceState.FAILED ? service.getLastError() : null, source.bundle(), background);
    }

    // ---------------------------------------------------------------- retiring

    /**
     * Retires the instance: the author call in flight is abandoned, later transitions do nothing, and the close is
     * queued. The returned future completes when the instance is closed.
     */
    synchronized CompletableFuture<Void> retire(String why) {
        if (closed != null) {
            return closed;
        }
        retired = true;
        for (AuthorCall<?> call : inFlight) {
            if (!cleanUp(call.what())) {
                call.abandon(why); // nested calls too: the outer one must not go on with the service's code
            }
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        closed = done;
        lanes.execute(this, () -> {
            closing = true;
            try {
                asLaneHolder(control::close);
            } catch (RuntimeException e) {
                LOG.warn("Closing an instance of service {} failed", source.name(), e);
            } finally {
                done.complete(null);
            }
        });
        return done;
    }

    /** How long stopping an instance may take: its daemons, then its app, each within the stop timeout. */
    Duration closeBound() {
        return stopTimeout().multipliedBy(2).plusSeconds(2);
    }

    /** How long one transition may take when every author call in it runs to its bound. */
    Duration transitionBound() {
        return startTimeout().multipliedBy(4).plus(stopTimeout().multipliedBy(3)).plusSeconds(5);
    }

    @Override
    public String toString() {
        return "instance of " + source.name() + (background ? " (background)" : " (disposable)") + " from "
                + source.label();
    }
}
