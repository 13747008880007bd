package io.jsorc.itests.services;

import io.jsorc.api.CommonService;
import io.jsorc.api.Hook;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads {@code <NAME>_CONFIG} ({"enabled": true, "color": "red"}); its app is the color. */
public class ColorService extends CommonService<String> {

    private final String tag;

    public ColorService(String tag) {
        this.tag = tag;
    }

    @Override
    protected Map<String, Object> buildConfig(Hook hook) {
        Map<String, Object> defaults = new LinkedHashMap<>();
        defaults.put("enabled", true);
        defaults.put("color", "red");
        return hook.serviceGlob(serviceName().toUpperCase() + "_CONFIG", defaults);
    }

    @Override
    protected String run(Hook hook) {
        return tag + ":" + getConfig().get("color");
    }
}
