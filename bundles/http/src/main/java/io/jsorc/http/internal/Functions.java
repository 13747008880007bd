package io.jsorc.http.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jsorc.api.MetaService;
import io.jsorc.api.ServiceInfo;
import io.jsorc.api.config.ConfigApi;
import io.jsorc.api.config.ConfigResult;
import io.jsorc.api.config.GlobException;
import io.jsorc.api.config.GlobValue;
import io.jsorc.api.config.Origin;
import io.jsorc.api.config.Secrets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;

/**
 * The admin functions ({@code POST /js_admin/<fn>}): the original's field names and, where it had them, its answers.
 * Each takes the checked fields of its body and answers a {@link Reply}; refusals are {@link ApiError}s.
 *
 * <p>Thread-safety: stateless apart from the services it calls; any thread.
 */
final class Functions {

    /** One call: its fields, the caller and the {@code If-Match} revision (null when absent). */
    record Call(Fields fields, String user, Long ifMatch) {
        Origin origin() {
            return Origin.local(user, "http");
        }
    }

    /** An answer: a status, a value written as JSON, and a revision for the {@code ETag} (or null). */
    record Reply(int status, Object body, Long etag) {
        static Reply ok(Object body) {
            return new Reply(200, body, null);
        }
    }

    @FunctionalInterface
    interface Handler {
        Reply handle(Call call);
    }

    /** How large a body may be. */
    enum Size {
        /** {@code max.body}. */
        PLAIN,
        /** {@code max.manifest.body} when the body stores a {@code *_MANIFEST} glob, else {@code max.body}. */
        GLOB,
        /** {@code max.manifest.body}: the body carries a YAML file. */
        YAML
    }

    /** A function: the fields it takes, what it does and how large its body may be. */
    record Function(Set<String> fields, Handler handler, Size size) {
    }

    private final ConfigApi config;
    private final MetaService meta;
    private final ObjectMapper mapper;
    /** Present while globs are shared with other nodes: a refresh reaches them too. */
    private volatile io.jsorc.api.spi.ClusterRefresh cluster;
    private final Map<String, Function> table = new LinkedHashMap<>();
    /** The functions of the loop and of the Kubernetes part, which may come and go. */
    private final AutomationFunctions automation = new AutomationFunctions();

    Functions(ConfigApi config, MetaService meta, ObjectMapper mapper) {
        this.config = config;
        this.meta = meta;
        this.mapper = mapper;
        add("config_get", Set.of("name", "do_check"), this::configGet);
        add("config_set", Set.of("name", "value", "do_check", "rev"), this::configSet);
        add("config_update", Set.of("name", "field_key", "field_value", "do_check", "rev"), this::configUpdate);
        add("config_list", Set.of(), call -> Reply.ok(guard("", config::configList)));
        add("config_index", Set.of(), call -> Reply.ok(guard("", config::configIndex)));
        add("config_exists", Set.of("name"), call -> {
            String name = call.fields().text("name");
            return Reply.ok(guard(name, () -> config.configExists(name)));
        });
        add("config_delete", Set.of("name", "do_check", "rev"), this::configDelete);
        add("config_history", Set.of("name", "do_check"), this::configHistory);
        add("config_rollback", Set.of("name", "revision", "do_check", "rev"), this::configRollback);
        add("service_refresh", Set.of("name"), this::serviceRefresh);
        add("service_info", Set.of("name"), this::serviceInfo);
        add("service_list", Set.of(), call -> Reply.ok(meta.infos().stream().map(Functions::info).toList()));
        table.put("apply_yaml", new Function(Set.of("name", "file", "unsafe_paraphrase", "adopt"),
                call -> guard(call.fields().text("name"), () -> automation.applyYaml(call)), Size.YAML));
        table.put("load_yaml", new Function(Set.of("file", "namespace"), automation::loadYaml, Size.YAML));
        add("jsorc_status", Set.of(), automation::status);
    }

    private void add(String name, Set<String> fields, Handler handler) {
        table.put(name, new Function(fields, handler,
                name.equals("config_set") || name.equals("config_update") ? Size.GLOB : Size.PLAIN));
    }

    /** Where the servlet binds the loop and the Kubernetes part. */
    AutomationFunctions automation() {
        return automation;
    }

    /** The function called {@code name}, or null. */
    Function get(String name) {
        return table.get(name);
    }

    /** Every function name, in the order of the OpenAPI document. */
    Set<String> names() {
        return table.keySet();
    }

    /** The kept revisions, newest first, values masked (as JSON values, not text). */
    private Reply configHistory(Call call) {
        String name = call.fields().text("name");
        List<io.jsorc.api.config.StoredGlob> kept = guard(name, () -> config.configHistory(name,
                call.fields().bool("do_check", true)));
        List<Map<String, Object>> out = new ArrayList<>();
        for (io.jsorc.api.config.StoredGlob glob : kept) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("revision", glob.revision());
            entry.put("time", glob.time().toString());
            entry.put("actor", glob.origin().actor());
            entry.put("source", glob.origin().source());
            entry.put("node", glob.origin().node());
            entry.put("value", readTree(Secrets.maskedJson(name, readValue(glob.json()))));
            out.add(entry);
        }
        return Reply.ok(out);
    }

    private Reply configRollback(Call call) {
        Fields fields = call.fields();
        String name = fields.text("name");
        Long revision = fields.revision("revision");
        if (revision == null) {
            throw ApiError.badField("revision", "Field \"revision\" is required: the kept revision to go back to");
        }
        Long rev = revision(fields, call.ifMatch());
        boolean doCheck = fields.bool("do_check", true);
        List<io.jsorc.api.config.StoredGlob> kept = guard(name, () -> config.configHistory(name, doCheck));
        if (kept.stream().noneMatch(g -> g.revision() == revision)) {
            throw ApiError.badField("revision", "Revision " + revision + " of " + name + " is not kept on this node; "
                    + "kept: " + kept.stream().map(io.jsorc.api.config.StoredGlob::revision).toList());
        }
        ConfigResult result = guard(name, () -> config.configRollback(name, revision, doCheck, rev, call.origin()));
        return new Reply(200, List.of(result.message()), result.revision());
    }

    private JsonNode readTree(String json) {
        try {
            return mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A stored value could not be read back", e);
        }
    }

    private Object readValue(String json) {
        try {
            return mapper.readValue(json, Object.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A stored value could not be read back", e);
        }
    }

    private Reply configGet(Call call) {
        String name = call.fields().text("name");
        Optional<GlobValue> glob = guard(name, () -> config.configGet(name, call.fields().bool("do_check", true)));
        return new Reply(200, glob.map(Secrets::maskedJson).orElse(null), glob.map(GlobValue::revision).orElse(0L));
    }

    private Reply configSet(Call call) {
        Fields fields = call.fields();
        String name = fields.text("name");
        JsonNode value = fields.any("value");
        String json = value.isTextual() ? value.textValue() : write(value);
        Long rev = revision(fields, call.ifMatch());
        ConfigResult result = guard(name, () -> config.configSet(name, json, fields.bool("do_check", true), rev,
                call.origin()));
        return new Reply(200, List.of(result.message()), result.revision());
    }

    private Reply configUpdate(Call call) {
        Fields fields = call.fields();
        String name = fields.text("name");
        String key = fields.text("field_key");
        String json = write(fields.any("field_value"));
        Long rev = revision(fields, call.ifMatch());
        ConfigResult result = guard(name, () -> config.configUpdate(name, key, json, fields.bool("do_check", true), rev,
                call.origin()));
        return new Reply(200, List.of(result.message()), result.revision());
    }

    private Reply configDelete(Call call) {
        Fields fields = call.fields();
        String name = fields.text("name");
        Long rev = revision(fields, call.ifMatch());
        ConfigResult result = guard(name, () -> config.configDelete(name, fields.bool("do_check", true), rev,
                call.origin()));
        return Reply.ok(List.of(result.message()));
    }

    synchronized void cluster(io.jsorc.api.spi.ClusterRefresh cluster) {
        this.cluster = cluster;
    }

    synchronized void uncluster(io.jsorc.api.spi.ClusterRefresh gone) {
        if (cluster == gone) {
            cluster = null;
        }
    }

    private Reply serviceRefresh(Call call) {
        String name = call.fields().text("name");
        boolean known = guard(name, () -> meta.refresh(name, call.origin()));
        if (!known) {
            throw new ApiError(404, name + " is not a valid service. Can not refresh config.", "name", null);
        }
        io.jsorc.api.spi.ClusterRefresh others = cluster;
        if (others == null) {
            return Reply.ok(Map.of("success", true));
        }
        io.jsorc.api.spi.ClusterRefresh.Acks acks = guard(name,
                () -> others.refreshOthers(name, call.origin(), java.time.Duration.ofSeconds(10)));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("success", true);
        out.put("acknowledged", acks.acknowledged());
        out.put("missing", acks.missing());
        return Reply.ok(out);
    }

    private Reply serviceInfo(Call call) {
        String name = call.fields().text("name");
        return Reply.ok(info(meta.info(name).orElseThrow(
                () -> new ApiError(404, name + " is not a valid service.", "name", null))));
    }

    /** A service as JSON: snake_case names; errors with URL credentials masked. */
    static Map<String, Object> info(ServiceInfo info) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", info.name());
        out.put("state", info.state().name());
        out.put("enabled", info.enabled());
        out.put("quiet", info.quiet());
        out.put("awaiting_automation", info.awaitingAutomation());
        out.put("bundle", info.bundle());
        out.put("ranking", info.ranking());
        out.put("service_id", info.serviceId());
        out.put("fallbacks", info.fallbacks());
        out.put("config", info.configGlob());
        out.put("manifest", info.manifestGlob());
        out.put("last_error", info.lastError() == null ? null : Secrets.mask(info.lastError()));
        out.put("last_error_time", info.lastErrorTime() == null ? null : info.lastErrorTime().toString());
        out.put("start_count", info.startCount());
        out.put("reset_count", info.resetCount());
        out.put("daemons", info.daemons());
        out.put("last_start_ms", info.lastStartDuration() == null ? null : info.lastStartDuration().toMillis());
        out.put("outstanding", info.outstanding());
        out.put("start_timeout_s", info.startTimeout().toSeconds());
        out.put("stop_timeout_s", info.stopTimeout().toSeconds());
        out.put("abandoned_threads", new ArrayList<>(info.abandonedThreads()));
        return out;
    }

    /** The revision of the body's {@code rev} or of {@code If-Match}; both given, they must agree. */
    private static Long revision(Fields fields, Long ifMatch) {
        Long rev = fields.revision("rev");
        if (rev != null && ifMatch != null && !rev.equals(ifMatch)) {
            throw ApiError.badField("rev", "Field \"rev\" (" + rev + ") and If-Match (" + ifMatch + ") disagree");
        }
        return rev != null ? rev : ifMatch;
    }

    private String write(JsonNode node) {
        try {
            return mapper.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A parsed JSON value could not be written back", e);
        }
    }

    @FunctionalInterface
    private interface Work<T> {
        T run();
    }

    /** The platform's refusals as HTTP: bad input 4xx, a store that cannot write or a hung service 503. */
    private <T> T guard(String name, Work<T> work) {
        try {
            return work.run();
        } catch (GlobException e) {
            throw switch (e.reason()) {
                case NOT_RECOGNIZED, INVALID_NAME -> new ApiError(400, e.getMessage(), "name", null);
                case INVALID_VALUE -> new ApiError(400, e.getMessage(), "value", null);
                case TOO_LARGE -> new ApiError(413, e.getMessage(), "value", null);
                case STALE_REVISION -> new ApiError(409, e.getMessage(), "rev", currentRevision(name));
                case STORAGE -> new ApiError(503, e.getMessage());
            };
        } catch (CancellationException e) {
            throw new ApiError(503, e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new ApiError(400, e.getMessage());
        }
    }

    /** The stored revision at the moment of a 409 (0 when absent), for the client's next attempt. */
    private Long currentRevision(String name) {
        try {
            return config.configGet(name, false).map(GlobValue::revision).orElse(0L);
        } catch (GlobException e) {
            return null;
        }
    }
}
