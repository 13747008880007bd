package io.jsorc.api;

import io.jsorc.api.spi.ServiceRuntime;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The runtime of an instance nobody bound (a plain unit test that did {@code new MyService().start(hook)}):
 * transitions run on the calling thread, serialized by a re-entrant lock, with no start timeout and no events.
 */
final class DirectRuntime implements ServiceRuntime {

    private final String name;
    private final ClassLoader loader;
    private final ReentrantLock lock = new ReentrantLock();

    DirectRuntime(String name, Class<?> type) {
        this.name = name;
        this.loader = type.getClassLoader();
    }

    @Override
    public String serviceName() {
        return name;
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
    public <A> A callRun(Callable<A> run, Consumer<? super A> lateResult) throws Exception {
        return callForeign(run);
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
        Thread thread = new Thread(body, "jsorc/" + name + "/" + daemonName);
        thread.setDaemon(true);
        thread.setContextClassLoader(loader);
        return thread;
    }

    @Override
    public void stateChanged(ServiceState from, ServiceState to, Throwable error) {
        // nobody listens to an unbound instance
    }
}
