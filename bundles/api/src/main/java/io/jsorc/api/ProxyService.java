package io.jsorc.api;

import java.util.Map;

/** The never-running placeholder {@link Hook#service} returns for a service that does not exist. */
final class ProxyService extends CommonService<Object> {

    private final String name;

    ProxyService(String name) {
        this.name = name;
    }

    @Override
    protected Map<String, Object> buildConfig(Hook hook) {
        throw new IllegalStateException("Service " + name + " is not yet set!");
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
