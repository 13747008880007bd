package io.jsorc.api.runtime;

/**
 * Binds a service instance to its {@link InstanceRuntime} and hands its {@link InstanceControl} to the binder: the
 * only way to control an instance, given once per instance. Internal (see {@link InstanceRuntime}).
 *
 * <p>The API's {@code CommonService} installs the {@link Access} when its class is initialized; the platform calls
 * {@link #bind} right after it built an instance.
 *
 * <p>Thread-safety: thread-safe; binding one instance twice fails.
 */
public final class Binder {

    /** Implemented inside the API: binds an instance of its {@code CommonService}. */
    public interface Access {
        <H> InstanceControl<H> bind(Object instance, InstanceRuntime runtime);
    }

    private static volatile Access access;

    private Binder() {
    }

    /**
     * Called once, by the API itself.
     *
     * @throws IllegalStateException when an access is installed already
     */
    public static synchronized void install(Access api) {
        if (access != null) {
            throw new IllegalStateException("the JsOrc API is already installed");
        }
        access = api;
    }

    /**
     * Binds {@code instance} (a {@code CommonService}) to {@code runtime}.
     *
     * @return the instance's control, to its binder only
     * @throws IllegalStateException when the instance is bound already
     * @throws IllegalArgumentException when it is not a {@code CommonService} of this API
     */
    public static <H> InstanceControl<H> bind(Object instance, InstanceRuntime runtime) {
        Access api = access;
        if (api == null) {
            throw new IllegalArgumentException(instance + " is not a CommonService of this API");
        }
        return api.bind(instance, runtime);
    }
}
