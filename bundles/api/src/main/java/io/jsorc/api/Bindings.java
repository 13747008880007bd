package io.jsorc.api;

import io.jsorc.api.runtime.Binder;
import io.jsorc.api.runtime.InstanceControl;
import io.jsorc.api.runtime.InstanceRuntime;

/** The API's side of {@link Binder}: binds a {@link CommonService} of this API to its runtime. */
final class Bindings implements Binder.Access {

    @Override
    @SuppressWarnings("unchecked")
    public <H> InstanceControl<H> bind(Object instance, InstanceRuntime runtime) {
        if (!(instance instanceof CommonService<?> service)) {
            throw new IllegalArgumentException(instance + " is not a CommonService of this API");
        }
        return (InstanceControl<H>) service.lifecycle().bind(runtime);
    }
}
