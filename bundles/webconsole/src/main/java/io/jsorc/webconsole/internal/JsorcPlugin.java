package io.jsorc.webconsole.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jsorc.api.MetaService;
import io.jsorc.api.ServiceInfo;
import io.jsorc.api.ServiceProperties;
import io.jsorc.api.config.ConfigApi;
import io.jsorc.api.config.ConfigResult;
import io.jsorc.api.config.GlobException;
import io.jsorc.api.config.GlobStore;
import io.jsorc.api.config.GlobValue;
import io.jsorc.api.config.Origin;
import io.jsorc.api.config.Secrets;
import io.jsorc.api.spi.AutomationProvider;
import io.jsorc.api.spi.AutomationStatus;
import io.jsorc.api.spi.Supervision;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.MetaTypeProvider;
import org.osgi.service.metatype.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The "JsOrc" page of the Felix Web Console ({@code /system/console/jsorc}): a plain servlet the console wraps in
 * its own header and navigation (it authenticates the user first). The page itself is static HTML plus this
 * bundle's script and style (no external asset); the script reads and writes JSON:
 * <ul>
 * <li>{@code GET jsorc/state.json}: services, automation, globs, refused outside edits;</li>
 * <li>{@code GET jsorc/glob.json?name=X}: a glob's masked value, revision and form (the fields of the MetaType the
 * glob store publishes for {@code jsorc.glob.X}: declared by the service, else inferred), and the revisions the
 * store keeps ({@code GlobStore.history}), masked;</li>
 * <li>{@code POST jsorc/save.json} {@code {"name","rev","fields","rest"}} or {@code {"name","rev","raw"}}: exactly
 * {@code config_set} with that revision of the stored value with the changed fields set (a {@code ********} left as
 * loaded keeps the secret), then {@code service_refresh} of every service reading the glob; 400 naming the field,
 * 409 on a stale revision;</li>
 * <li>{@code POST jsorc/refresh.json} {@code {"name"}}: {@code service_refresh}.</li>
 * </ul>
 * The Web Console has no protection against cross-site requests: a POST here must be JSON, carry
 * {@code X-Requested-By} (which a cross-site form cannot send without a CORS preflight nobody answers), and come from
 * this origin ({@code Origin}/{@code Sec-Fetch-Site}); otherwise 403 and nothing happens.
 *
 * <p>Thread-safety: stateless apart from its references; every method is thread-safe.
 */
@Component(service = Servlet.class, property = {
    "felix.webconsole.label=" + JsorcPlugin.LABEL,
    "felix.webconsole.title=JsOrc",
    "felix.webconsole.category=JsOrc",
    "felix.webconsole.css=/" + JsorcPlugin.LABEL + "/res/jsorc.css" })
public final class JsorcPlugin extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(JsorcPlugin.class);
    static final String LABEL = "jsorc";
    static final String REQUESTED_BY = "X-Requested-By";
    private static final int MAX_BODY = 1024 * 1024;
    private static final int MAX_HISTORY_CHARS = 2000;

    private final transient ObjectMapper mapper = new ObjectMapper();
    private final transient MetaService meta;
    private final transient ConfigApi config;
    private final transient GlobStore globs;
    private final transient RefusedEdits refused;
    private transient volatile AutomationProvider automation;
    private transient volatile MetaTypeProvider metatypes;

    @Activate
    public JsorcPlugin(@Reference MetaService meta, @Reference ConfigApi config, @Reference GlobStore globs,
            @Reference RefusedEdits refused) {
        this.meta = meta;
        this.config = config;
        this.globs = globs;
        this.refused = refused;
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setAutomation(AutomationProvider provider) {
        this.automation = provider;
    }

    void unsetAutomation(AutomationProvider provider) {
        if (this.automation == provider) {
            this.automation = null;
        }
    }

    /** The glob store's MetaType (the forms); without it every glob is edited as JSON. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, target = "(jsorc.glob.metatype=true)")
    void setMetaTypes(MetaTypeProvider provider) {
        this.metatypes = provider;
    }

    void unsetMetaTypes(MetaTypeProvider provider) {
        if (this.metatypes == provider) {
            this.metatypes = null;
        }
    }

    // ------------------------------------------------------------------------------------------------ GET

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        try {
            super.service(req, resp);
        } catch (RuntimeException | javax.servlet.ServletException e) {
            // our own failure (bad input is answered before this): one ERROR, a JSON 500 without details
            LOG.error("The JsOrc page failed on {} {}", req.getMethod(), subPath(req), e);
            if (!resp.isCommitted()) {
                resp.reset();
                json(resp, 500, error("Internal error of the JsOrc page (logged)", null));
            }
        }
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = subPath(req);
        switch (path) {
            case "", "/" -> page(req, resp);
            case "/res/jsorc.js" -> resource(resp, "jsorc.js", "text/javascript");
            case "/res/jsorc.css" -> resource(resp, "jsorc.css", "text/css");
            case "/state.json" -> json(resp, 200, state());
            case "/glob.json" -> glob(req, resp);
            default -> resp.sendError(404);
        }
    }

    /** The path below {@code /jsorc} ({@code pathInfo} is {@code /jsorc/...} under the console). */
    static String subPath(HttpServletRequest req) {
        String info = req.getPathInfo() == null ? "" : req.getPathInfo();
        String prefix = "/" + LABEL;
        return info.startsWith(prefix) ? info.substring(prefix.length()) : info;
    }

    /** The page: the console has written its header; the script fills it in. No {@code $}{...}: the console expands those. */
    private void page(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Object root = req.getAttribute("felix.webconsole.pluginRoot");
        String base = root != null ? root.toString() : req.getContextPath() + req.getServletPath() + "/" + LABEL;
        resp.setContentType("text/html;charset=UTF-8");
        resp.getWriter().write("<div id=\"jsorc\" data-base=\"" + attr(base) + "\">"
                + "<p class=\"statline ui-state-highlight\" id=\"jsorc-status\">Loading…</p>"
                + "<noscript><p>The JsOrc page needs JavaScript.</p></noscript></div>"
                + "<script src=\"" + attr(base) + "/res/jsorc.js\"></script>");
    }

    private void resource(HttpServletResponse resp, String name, String type) throws IOException {
        try (InputStream in = JsorcPlugin.class.getResourceAsStream(name)) {
            if (in == null) {
                resp.sendError(404);
                return;
            }
            resp.setContentType(type + ";charset=UTF-8");
            resp.setHeader("Cache-Control", "no-cache");
            resp.getWriter().write(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    Map<String, Object> state() {
        Map<String, Object> out = new LinkedHashMap<>();
        AutomationProvider loop = automation;
        AutomationStatus status = null;
        if (loop != null) {
            try {
                status = loop.status();
            } catch (RuntimeException e) {
                LOG.debug("Automation status unavailable: {}", e.toString());
            }
        }
        List<Map<String, Object>> services = new ArrayList<>();
        for (ServiceInfo info : meta.infos()) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("name", info.name());
            s.put("state", info.state().name());
            s.put("enabled", info.enabled());
            s.put("bundle", info.bundle());
            s.put("config", info.configGlob());
            s.put("restarts", info.resetCount());
            s.put("starts", info.startCount());
            s.put("last_error", info.lastError() == null ? null : Secrets.mask(info.lastError()));
            s.put("last_error_time", info.lastErrorTime() == null ? null : info.lastErrorTime().toString());
            Supervision supervision = null;
            if (loop != null) {
                try {
                    supervision = loop.supervision(info.name()).orElse(null);
                } catch (RuntimeException e) {
                    supervision = null;
                }
            }
            s.put("quarantined", supervision != null && supervision.quarantined());
            s.put("failures", supervision == null ? null : supervision.failures());
            services.add(s);
        }
        out.put("services", services);
        if (status != null) {
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("automation", status.automation());
            a.put("running", status.running());
            a.put("ticks", status.ticks());
            a.put("last_tick", status.lastTick() == null ? null : status.lastTick().toString());
            a.put("next_tick", status.nextTick() == null ? null : status.nextTick().toString());
            a.put("backoff_interval", status.backoffInterval());
            a.put("cluster", status.cluster());
            a.put("keep_alive", status.services().stream().map(Supervision::name).toList());
            out.put("automation", a);
        } else {
            out.put("automation", null);
        }
        List<Map<String, Object>> list = new ArrayList<>();
        for (String name : globs.list()) {
            Map<String, Object> g = new LinkedHashMap<>();
            g.put("name", name);
            try {
                Optional<GlobValue> value = globs.get(name);
                if (value.isEmpty()) {
                    continue;
                }
                g.put("revision", value.get().revision());
                g.put("time", value.get().stored().time().toString());
                g.put("origin", value.get().stored().origin().toString());
            } catch (GlobException unreadable) {
                g.put("error", unreadable.getMessage());
            }
            g.put("manifest", name.endsWith("_MANIFEST"));
            list.add(g);
        }
        out.put("globs", list);
        out.put("refused", refused.list());
        out.put("forms", metatypes != null);
        return out;
    }

    private void glob(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String name = req.getParameter("name");
        if (name == null || !name.matches("[A-Za-z0-9_]{1,100}")) {
            json(resp, 400, error("name: a glob name is required ([A-Za-z0-9_]{1,100})", "name"));
            return;
        }
        Optional<GlobValue> value;
        try {
            value = globs.get(name);
        } catch (GlobException unreadable) {
            json(resp, 409, error(unreadable.getMessage(), null));
            return;
        }
        Map<String, Object> form = form(name);
        List<String> secret = passwordFields(form);
        Object shown = maskFields(value.map(v -> Secrets.mask(v.value())).orElse(null), secret);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", name);
        out.put("revision", value.map(GlobValue::revision).orElse(0L));
        out.put("value", shown);
        // as text written by the store: the page shows them as they are, so numbers never pass through the browser's
        out.put("raw", shown == null ? "null" : globs.toJson(shown));
        out.put("rest", shown instanceof Map<?, ?> map ? globs.toJson(rest(map, form)) : null);
        out.put("form", form);
        List<Map<String, Object>> history = new ArrayList<>();
        for (io.jsorc.api.config.StoredGlob kept : globs.history(name)) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("revision", kept.revision());
            entry.put("time", kept.time().toEpochMilli());
            entry.put("origin", kept.origin().toString());
            String text = globs.toJson(maskFields(Secrets.mask(globs.parse(kept.json())), secret));
            entry.put("value", text.length() > MAX_HISTORY_CHARS ? text.substring(0, MAX_HISTORY_CHARS) + "…" : text);
            history.add(entry);
        }
        out.put("history", history);
        json(resp, 200, out);
    }

    /** The fields of the glob's MetaType, without the store's own {@code jsorc.revision} field; null without one. */
    Map<String, Object> form(String name) {
        MetaTypeProvider provider = metatypes;
        if (provider == null) {
            return null;
        }
        ObjectClassDefinition ocd;
        try {
            ocd = provider.getObjectClassDefinition(ServiceProperties.GLOB_PID_PREFIX + name, null);
        } catch (RuntimeException e) {
            return null;
        }
        if (ocd == null) {
            return null;
        }
        Map<String, Object> form = new LinkedHashMap<>();
        form.put("title", ocd.getName());
        // the MetaType's description ends with a note for Felix's Configuration Manager, which does not refresh
        String description = ocd.getDescription() == null ? "" : ocd.getDescription();
        int note = description.indexOf(" A save is validated");
        form.put("description", note < 0 ? description : description.substring(0, note));
        List<Map<String, Object>> fields = new ArrayList<>();
        AttributeDefinition[] ads = ocd.getAttributeDefinitions(ObjectClassDefinition.ALL);
        for (AttributeDefinition ad : ads == null ? new AttributeDefinition[0] : ads) {
            if (ad.getID().startsWith("jsorc.")) {
                continue;
            }
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("id", ad.getID());
            f.put("title", ad.getName());
            f.put("description", ad.getDescription());
            f.put("type", type(ad.getType()));
            f.put("cardinality", ad.getCardinality());
            f.put("options", ad.getOptionValues() == null ? null : List.of(ad.getOptionValues()));
            f.put("labels", ad.getOptionLabels() == null ? null : List.of(ad.getOptionLabels()));
            fields.add(f);
        }
        form.put("fields", fields);
        return form;
    }

    /**
     * {@code value} (already masked by key names) with every declared password field masked too: a value, or each
     * element of a list; a null stays null.
     */
    static Object maskFields(Object value, List<String> ids) {
        if (value instanceof Map<?, ?> map) {
            for (String id : ids) {
                Object found = Paths.value(Paths.get(map, id));
                if (found instanceof List<?> list) {
                    Paths.put(map, id, list.stream().map(e -> e == null ? null : Secrets.MASK).toList());
                } else if (found != null) {
                    Paths.put(map, id, Secrets.MASK);
                }
            }
        }
        return value;
    }

    /** What the form does not cover: a copy of {@code value} without the form's fields. */
    @SuppressWarnings("unchecked")
    private Object rest(Map<?, ?> value, Map<String, Object> form) {
        Map<String, Object> left = (Map<String, Object>) globs.parse(globs.toJson(value));
        if (form != null) {
            ((List<Map<String, Object>>) form.get("fields")).forEach(f -> Paths.remove(left, (String) f.get("id")));
        }
        return left;
    }

    /** The ids of the form's password fields. */
    @SuppressWarnings("unchecked")
    static List<String> passwordFields(Map<String, Object> form) {
        if (form == null) {
            return List.of();
        }
        List<String> ids = new ArrayList<>();
        for (Map<String, Object> f : (List<Map<String, Object>>) form.get("fields")) {
            if ("password".equals(f.get("type"))) {
                ids.add((String) f.get("id"));
            }
        }
        return ids;
    }

    private static String type(int metatype) {
        return switch (metatype) {
            case AttributeDefinition.LONG, AttributeDefinition.INTEGER, AttributeDefinition.SHORT,
                    AttributeDefinition.BYTE -> "integer";
            case AttributeDefinition.DOUBLE, AttributeDefinition.FLOAT -> "number";
            case AttributeDefinition.BOOLEAN -> "boolean";
            case AttributeDefinition.PASSWORD -> "password";
            default -> "string";
        };
    }

    // ------------------------------------------------------------------------------------------------ POST

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String refusal = crossSite(req);
        if (refusal != null) {
            json(resp, 403, error(refusal, null));
            return;
        }
        JsonNode body;
        try {
            byte[] bytes = req.getInputStream().readNBytes(MAX_BODY + 1);
            if (bytes.length > MAX_BODY) {
                json(resp, 413, error("The body is larger than " + MAX_BODY + " bytes", null));
                return;
            }
            body = mapper.readTree(bytes);
        } catch (JsonProcessingException e) {
            json(resp, 400, error("The body is not JSON", null));
            return;
        }
        if (body == null || !body.isObject() || !body.path("name").isTextual()) {
            json(resp, 400, error("name: a text is required", "name"));
            return;
        }
        String name = body.get("name").asText();
        String user = user(req);
        switch (subPath(req)) {
            case "/save.json" -> save(resp, name, body, user);
            case "/refresh.json" -> refresh(resp, name, user);
            default -> json(resp, 404, error("No such action", null));
        }
    }

    /** Why a POST is refused as cross-site (or not JSON), or null. */
    static String crossSite(HttpServletRequest req) {
        String type = req.getContentType();
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            return "Send application/json";
        }
        if (req.getHeader(REQUESTED_BY) == null) {
            return "Missing header " + REQUESTED_BY + " (cross-site requests are refused)";
        }
        if ("cross-site".equals(req.getHeader("Sec-Fetch-Site"))) {
            return "Cross-site requests are refused";
        }
        String origin = req.getHeader("Origin");
        if (origin != null) { // an opaque origin ("null": a sandboxed frame, a file) is not this console either
            String host = req.getHeader("Host");
            String forwarded = req.getHeader("X-Forwarded-Host"); // behind a reverse proxy that rewrites Host
            try {
                URI uri = URI.create(origin);
                if (uri.getHost() == null) {
                    return "Origin " + origin + " is not this console";
                }
                String authority = uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
                if (!authority.equalsIgnoreCase(host) && (forwarded == null
                        || !authority.equalsIgnoreCase(forwarded.split(",")[0].trim()))) {
                    return "Origin " + origin + " is not this console";
                }
            } catch (IllegalArgumentException e) {
                return "Origin " + origin + " is not this console";
            }
        }
        return null;
    }

    private static String user(HttpServletRequest req) {
        Object user = req.getAttribute("org.osgi.service.http.authentication.remote.user");
        if (user == null) {
            user = req.getRemoteUser();
        }
        return user == null ? "webconsole" : user.toString();
    }

    /**
     * {@code {"name","rev","fields":{id: value},"rest":"<JSON>"}} (an object glob: only the fields the user changed,
     * and the keys the form does not cover when they were edited) or {@code {"name","rev","raw":"<JSON>"}} (any other
     * glob). The new value is built here from the stored one with the store's own JSON reading, so whatever the user
     * did not touch is stored exactly as it was ({@code 1.0} stays {@code 1.0}, 2^63 stays 2^63).
     */
    private void save(HttpServletResponse resp, String name, JsonNode body, String user) throws IOException {
        JsonNode rev = body.get("rev");
        if (rev == null || !rev.canConvertToExactIntegral() || rev.asLong() < 0) {
            json(resp, 400, error("rev: the revision the form was loaded at is required (0: a new glob)", "rev"));
            return;
        }
        JsonNode raw = body.get("raw");
        JsonNode fields = body.get("fields");
        JsonNode rest = body.get("rest");
        if (raw != null ? !raw.isTextual() : fields == null || !fields.isObject() || rest != null && !rest.isTextual()) {
            json(resp, 400, error("Send \"raw\" (JSON text) or \"fields\" (an object) and optionally \"rest\" "
                    + "(JSON text)", "fields"));
            return;
        }
        Origin origin = Origin.local(user, "webconsole");
        ConfigResult result;
        try {
            String json = raw != null ? raw.asText() : globs.toJson(edited(name, rev.asLong(), fields,
                    rest == null ? null : rest.asText()));
            result = config.configSet(name, json, false, rev.asLong(), origin);
        } catch (GlobException e) {
            int status = switch (e.reason()) {
                case STALE_REVISION -> 409;
                case TOO_LARGE -> 413;
                case STORAGE -> 503;
                default -> 400;
            };
            json(resp, status, error(e.getMessage(), raw != null ? "raw" : "fields"));
            return;
        } catch (RuntimeException e) {
            // the store could not write (its tier failed): nothing was stored
            LOG.warn("Saving {} from the Web Console failed: {}", name, e.getMessage());
            json(resp, 503, error("Not saved: " + Secrets.mask(String.valueOf(e.getMessage())), null));
            return;
        }
        List<String> refreshed = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        for (String service : readers(name)) {
            try {
                if (meta.refresh(service, origin)) {
                    refreshed.add(service);
                }
            } catch (RuntimeException e) {
                failed.add(service + ": " + Secrets.mask(String.valueOf(e.getMessage())));
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("success", true);
        out.put("revision", result.revision()); // not the store's message: it echoes the value, masked by name only
        out.put("refreshed", refreshed);
        out.put("refresh_failed", failed);
        json(resp, 200, out);
    }

    /**
     * The stored value of {@code name} at {@code rev} with the changed fields set and, when given, the keys the form
     * does not cover replaced by {@code rest}. A password field left as {@code ********} keeps the stored secret (keys
     * our masking knows are kept by {@code configSet} itself, declared password fields under other names here).
     *
     * @throws GlobException INVALID_VALUE for a {@code rest} that is not a JSON object, STALE_REVISION when the glob
     *     is no longer at {@code rev}
     */
    @SuppressWarnings("unchecked")
    Map<String, Object> edited(String name, long rev, JsonNode fields, String rest) {
        Optional<GlobValue> stored = globs.get(name);
        long current = stored.map(GlobValue::revision).orElse(0L);
        if (current != rev) {
            throw new GlobException(GlobException.Reason.STALE_REVISION, "Stale write of " + name + ": the form was "
                    + "loaded at revision " + rev + " but it is " + (current == 0 ? "absent" : "revision " + current)
                    + "; read it again and retry");
        }
        Object old = stored.map(GlobValue::value).orElse(null);
        Map<String, Object> value = old instanceof Map ? (Map<String, Object>) globs.parse(globs.toJson(old))
                : new LinkedHashMap<>();
        List<String> ids = new ArrayList<>();
        Map<String, Object> form = form(name);
        if (form != null) {
            ((List<Map<String, Object>>) form.get("fields")).forEach(f -> ids.add((String) f.get("id")));
        }
        if (rest != null) {
            Object parsed = globs.parse(rest);
            if (!(parsed instanceof Map)) {
                throw new GlobException(GlobException.Reason.INVALID_VALUE, "Other keys must be a JSON object");
            }
            Map<String, Object> before = (Map<String, Object>) globs.parse(globs.toJson(value));
            ids.forEach(id -> Paths.remove(before, id));
            try {
                Paths.replaceRest(value, before, (Map<String, Object>) parsed, ids, "");
            } catch (IllegalArgumentException e) {
                throw new GlobException(GlobException.Reason.INVALID_VALUE, e.getMessage());
            }
        }
        List<String> secret = passwordFields(form);
        Map<String, Object> oldMap = old instanceof Map ? (Map<String, Object>) old : Map.of();
        for (Map.Entry<String, JsonNode> field : (Iterable<Map.Entry<String, JsonNode>>) fields::fields) {
            Object v = globs.parse(field.getValue().toString());
            if (secret.contains(field.getKey())) {
                v = keepMasked(v, Paths.value(Paths.get(oldMap, field.getKey())));
                if (Secrets.MASK.equals(v) || v instanceof List<?> list && list.contains(Secrets.MASK)) {
                    throw new GlobException(GlobException.Reason.INVALID_VALUE, field.getKey() + ": a " + Secrets.MASK
                            + " stands for no stored value here (the list changed length?): type the values again");
                }
            }
            Paths.put(value, field.getKey(), v);
        }
        return value;
    }

    /** A masked value (or list element) sent back stands for the stored one at the same place. */
    private static Object keepMasked(Object sent, Object stored) {
        if (Secrets.MASK.equals(sent)) {
            return stored;
        }
        if (sent instanceof List<?> list && stored instanceof List<?> old && list.size() == old.size()) {
            List<Object> kept = new ArrayList<>(list);
            for (int i = 0; i < kept.size(); i++) {
                if (Secrets.MASK.equals(kept.get(i))) {
                    kept.set(i, old.get(i));
                }
            }
            return kept;
        }
        return sent;
    }

    /** The services reading glob {@code name}: {@code meta} for META_CONFIG, else those that declare it. */
    private List<String> readers(String name) {
        if (name.equals(ServiceProperties.META_CONFIG)) {
            return List.of(ServiceProperties.META);
        }
        List<String> names = new ArrayList<>();
        for (ServiceInfo info : meta.infos()) {
            if (name.equals(info.configGlob())) {
                names.add(info.name());
            }
        }
        return names;
    }

    private void refresh(HttpServletResponse resp, String name, String user) throws IOException {
        boolean found;
        try {
            found = meta.refresh(name, Origin.local(user, "webconsole"));
        } catch (RuntimeException e) {
            // e.g. the service's code hung past its bound: the refresh was given up, the service FAILED
            json(resp, 503, error("Refresh of " + name + " did not finish: "
                    + Secrets.mask(String.valueOf(e.getMessage())), null));
            return;
        }
        if (!found) {
            json(resp, 404, error("Service " + name + " not found", "name"));
            return;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("success", true);
        out.put("state", meta.info(name).map(i -> i.state().name()).orElse(null));
        json(resp, 200, out);
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private static Map<String, Object> error(String message, String field) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("success", false);
        out.put("message", message);
        out.put("field", field);
        return out;
    }

    private void json(HttpServletResponse resp, int status, Object body) throws IOException {
        resp.setStatus(status);
        resp.setContentType("application/json;charset=UTF-8");
        resp.setHeader("Cache-Control", "no-store");
        resp.getWriter().write(mapper.writeValueAsString(body));
    }

    private static String attr(String text) {
        return text.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
