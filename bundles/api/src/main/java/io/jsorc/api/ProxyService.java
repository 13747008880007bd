package io.jsorc.api;

/**
 * The never-running placeholder {@link Hook#service} returns for a service that does not exist: nobody builds or
 * starts it, so it stays NOT_STARTED, disabled and without app.
 */
final class ProxyService extends CommonService<Object> {

    private final String name;

    ProxyService(String name) {
        this.name = name;
    }

    @Override
    protected Object run(Hook hook) {
        throw new IllegalStateException("Service " + name + " is not yet set!");
    }

    @Override
    public String toString() {
        return "ProxyService[" + name + "]";
    }
}
