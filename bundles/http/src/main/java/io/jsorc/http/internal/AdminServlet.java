package io.jsorc.http.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jsorc.api.MetaService;
import io.jsorc.api.config.ConfigApi;
import io.jsorc.api.spi.AutomationProvider;
import io.jsorc.api.spi.ManifestApplier;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.servlet.Servlet;
import javax.servlet.ServletException;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import javax.servlet.http.Part;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /js_admin/<fn>} on the OSGi HTTP Whiteboard (pax-web in Karaf), and {@code GET
 * /js_admin/openapi.json}. The checks, in order: the function exists (404), the method is POST (405), the request is
 * not cross-site (a foreign {@code Origin} or {@code Sec-Fetch-Site: cross-site}: 403), HTTP Basic credentials are
 * valid in the JAAS realm (401 with {@code WWW-Authenticate}) and the user has the role (403), the body is JSON or
 * multipart with {@code X-Requested-By} (415, 403), within the limit (413), and its fields are right (400). A refused
 * request changes nothing and is logged at DEBUG only; a failure of the platform itself answers 500 and is logged as an
 * ERROR. Every answer is JSON, never cached.
 *
 * <p>Thread-safety: requests run concurrently; the settings are replaced as a whole.
 */
@Component(service = Servlet.class, configurationPid = AdminServlet.PID, property = {
        "osgi.http.whiteboard.servlet.pattern=" + AdminServlet.PATH + "/*",
        "osgi.http.whiteboard.servlet.name=jsorc-admin",
        "osgi.http.whiteboard.servlet.multipart.enabled=true",
        "osgi.http.whiteboard.servlet.multipart.fileSizeThreshold=1048576",
        // Jetty stops spooling a multipart body past these (a chunked one has no Content-Length to refuse first)
        "osgi.http.whiteboard.servlet.multipart.maxFileSize=" + AdminServlet.MULTIPART_MAX,
        "osgi.http.whiteboard.servlet.multipart.maxRequestSize=" + AdminServlet.MULTIPART_MAX})
@Designate(ocd = HttpSettings.class)
public final class AdminServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(AdminServlet.class);

    static final String PID = "io.jsorc.http";
    static final String PATH = "/js_admin";
    static final String OPENAPI = "openapi.json";
    static final String REQUESTED_BY = "X-Requested-By";
    /** Deeper JSON than this is refused before it is built. */
    static final int MAX_DEPTH = 200;
    /** The most Jetty reads of a multipart body, whatever the settings: 16 MiB. */
    static final long MULTIPART_MAX = 16L * 1024 * 1024;
    /** Messages quoted back are cut here (a name can be a megabyte long). */
    static final int MAX_MESSAGE = 2000;
    private static final Pattern IF_MATCH = Pattern.compile("\\s*(?:W/)?\"?(\\d{1,18})\"?\\s*");

    /** What a request is checked against; replaced whole when the configuration changes. */
    record Limits(long body, long manifestBody, Set<String> origins) {
    }

    private final transient Functions functions;
    private final transient ObjectMapper mapper;
    private final transient byte[] openApi;
    private transient volatile Authenticator authenticator;
    private transient volatile Limits limits;

    private transient RealmWatch realmWatch;

    @Activate
    public AdminServlet(BundleContext context, @Reference ConfigApi config, @Reference MetaService meta,
            HttpSettings settings) {
        this(config, meta, authenticator(settings), limits(settings));
        this.realmWatch = new RealmWatch(context, this::flushLogins);
    }

    /** Present while globs are shared with other nodes (service_refresh then reaches them and reports who did). */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setCluster(io.jsorc.api.spi.ClusterRefresh cluster) {
        functions.cluster(cluster);
    }

    void unsetCluster(io.jsorc.api.spi.ClusterRefresh cluster) {
        functions.uncluster(cluster);
    }

    /** Present while the Kubernetes part is installed: apply_yaml, load_yaml, the manifests of jsorc_status. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setApplier(ManifestApplier applier) {
        functions.automation().applier(applier);
    }

    void unsetApplier(ManifestApplier applier) {
        functions.automation().unapplier(applier);
    }

    /** Present while the JsOrc loop's bundle runs: jsorc_status. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setLoop(AutomationProvider loop) {
        functions.automation().loop(loop);
    }

    void unsetLoop(AutomationProvider loop) {
        functions.automation().unloop(loop);
    }

    @Deactivate
    void deactivate() {
        realmWatch.close();
    }

    AdminServlet(ConfigApi config, MetaService meta, Authenticator authenticator, Limits limits) {
        this.mapper = mapper();
        this.functions = new Functions(config, meta, mapper);
        this.authenticator = authenticator;
        this.limits = limits;
        this.openApi = openApi();
    }

    @Modified
    void modified(HttpSettings settings) {
        authenticator = authenticator(settings);
        limits = limits(settings);
    }

    /** Forgets remembered logins (a JAAS realm or its users changed). */
    void flushLogins() {
        if (authenticator instanceof JaasAuthenticator jaas) {
            jaas.flush();
        }
    }

    Authenticator authenticator() {
        return authenticator;
    }

    Functions functions() {
        return functions;
    }

    static Limits limits(HttpSettings settings) {
        Set<String> origins = new java.util.HashSet<>();
        for (String origin : settings.allowed_origins()) {
            if (origin != null && !origin.isBlank()) {
                origins.add(normalOrigin(origin));
            }
        }
        return new Limits(Math.max(1, settings.max_body()), Math.max(1, settings.max_manifest_body()),
                Set.copyOf(origins));
    }

    /** {@code HTTPS://Host:443/} → {@code https://host:443}: compared without case and trailing slash. */
    static String normalOrigin(String origin) {
        return origin.strip().replaceFirst("/+$", "").toLowerCase(Locale.ROOT);
    }

    private static Authenticator authenticator(HttpSettings settings) {
        return new JaasAuthenticator(settings.realm(), settings.role(), settings.login_cache_seconds(),
                JaasAuthenticator.defaultUsersFile());
    }

    static ObjectMapper mapper() {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
                .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        return new ObjectMapper(factory).enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS);
    }

    private static byte[] openApi() {
        try (InputStream in = AdminServlet.class.getResourceAsStream(OPENAPI)) {
            if (in == null) {
                throw new IllegalStateException(OPENAPI + " is missing from the bundle");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String fn = request.getPathInfo() == null ? "" : request.getPathInfo().replaceFirst("^/", "");
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
        try {
            if (OPENAPI.equals(fn)) {
                serveOpenApi(request, response);
                return;
            }
            Functions.Function function = functions.get(fn);
            if (function == null) {
                throw new ApiError(404, "Unknown function '" + Abbrev.of(fn, 80) + "': POST " + PATH
                        + "/<fn> with fn one of " + functions.names() + "; the API is described at " + PATH + "/"
                        + OPENAPI);
            }
            if (!"POST".equals(request.getMethod())) {
                response.setHeader("Allow", "POST");
                throw new ApiError(405, request.getMethod() + " is not allowed: POST " + PATH + "/" + fn);
            }
            refuseCrossSite(request);
            Authenticator.Login login = authenticator.authenticate(request.getHeader("Authorization"));
            if (login == null) {
                response.setHeader("WWW-Authenticate", "Basic realm=\"JsOrc admin\", charset=\"UTF-8\"");
                throw new ApiError(401, "Valid HTTP Basic credentials of a Karaf user are required");
            }
            if (!login.authorized()) {
                throw new ApiError(403, "User " + login.user() + " does not have the role this API requires");
            }
            Limits now = limits;
            JsonNode body = body(request, function, now);
            Fields fields = Fields.of(body, function.fields());
            Functions.Reply reply = function.handler().handle(new Functions.Call(fields, login.user(),
                    ifMatch(request.getHeader("If-Match"))));
            write(response, reply.status(), reply.body(), reply.etag());
        } catch (ApiError refused) {
            String message = Abbrev.of(refused.getMessage(), MAX_MESSAGE);
            LOG.debug("HTTP {} {} refused with {}: {}", request.getMethod(), Abbrev.of(fn, 100), refused.status,
                    message);
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("success", false);
            error.put("message", message);
            if (refused.field != null) {
                error.put("field", refused.field);
            }
            if (refused.revision != null) {
                error.put("revision", refused.revision);
            }
            if (refused.status == 413) {
                // the rest of the body is not read: close instead of draining it for the next request
                response.setHeader("Connection", "close");
            }
            write(response, refused.status, error, refused.revision);
        } catch (IOException unreadable) {
            // a body that ends early or is malformed on the wire (Jetty: EofException, bad chunking), or a client
            // gone while we answer: the client's problem, answered 400 when an answer can still go out
            LOG.debug("HTTP {} {}: {}", request.getMethod(), Abbrev.of(fn, 100), unreadable.toString());
            if (!response.isCommitted()) {
                response.setHeader("Connection", "close");
                try {
                    write(response, 400, Map.of("success", false, "message", "The request could not be read: "
                            + firstLine(unreadable.getMessage())), null);
                } catch (IOException gone) {
                    LOG.debug("HTTP {} {}: the answer could not be sent either: {}", request.getMethod(),
                            Abbrev.of(fn, 100), gone.toString());
                }
            }
        } catch (RuntimeException | ServletException failure) {
            LOG.error("HTTP {} {} failed", request.getMethod(), fn, failure);
            write(response, 500, Map.of("success", false, "message", "Internal error ("
                    + failure.getClass().getSimpleName() + "); see karaf.log"), null);
        }
    }

    private void serveOpenApi(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!"GET".equals(request.getMethod()) && !"HEAD".equals(request.getMethod())) {
            response.setHeader("Allow", "GET, HEAD");
            throw new ApiError(405, request.getMethod() + " is not allowed: GET " + PATH + "/" + OPENAPI);
        }
        response.setStatus(200);
        response.setContentType("application/json");
        response.setContentLength(openApi.length);
        if ("GET".equals(request.getMethod())) {
            response.getOutputStream().write(openApi);
        }
    }

    /** A browser's request from another site: refused before credentials are even looked at. */
    private void refuseCrossSite(HttpServletRequest request) {
        String origin = request.getHeader("Origin");
        Set<String> allowed = limits.origins();
        if (origin != null && !normalOrigin(origin).equals(normalOrigin(request.getScheme() + "://"
                + request.getHeader("Host"))) && !allowed.contains(normalOrigin(origin))) {
            throw new ApiError(403, "Cross-origin request refused: Origin " + Abbrev.of(origin, 100)
                    + " is not this API's origin nor in allowed.origins (etc/" + PID + ".cfg)");
        }
        if (origin == null && "cross-site".equalsIgnoreCase(request.getHeader("Sec-Fetch-Site"))) {
            throw new ApiError(403, "Cross-site request refused (Sec-Fetch-Site: cross-site)");
        }
    }

    /**
     * The body as JSON: none, JSON text, or multipart fields (text; do_check, adopt and rev converted; for a function
     * taking a {@code file}, the first uploaded file).
     */
    private JsonNode body(HttpServletRequest request, Functions.Function function, Limits now)
            throws IOException, ServletException {
        Functions.Size size = function.size();
        long limit = size == Functions.Size.PLAIN ? now.body() : Math.max(now.body(), now.manifestBody());
        long declared = request.getContentLengthLong();
        if (declared > limit) {
            throw tooLarge(declared, limit);
        }
        String type = request.getContentType();
        String mediaType = type == null ? "" : type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (mediaType.equals("multipart/form-data")) {
            String by = request.getHeader(REQUESTED_BY);
            if (by == null || by.isBlank()) {
                throw new ApiError(403, "A multipart request needs an " + REQUESTED_BY + " header (any value): "
                        + "browsers do not send it across sites");
            }
            JsonNode fields = multipart(request, function, limit);
            if (size == Functions.Size.GLOB) {
                checkManifestLimit(fields, fields.toString().length(), now);
            }
            return fields;
        }
        byte[] bytes = read(request.getInputStream(), limit);
        if (mediaType.isEmpty() && bytes.length == 0) {
            return null;
        }
        if (!mediaType.equals("application/json")) {
            throw new ApiError(415, "The body must be JSON (Content-Type: application/json) or multipart/form-data, "
                    + "not " + (type == null ? "untyped" : Abbrev.of(type, 80)));
        }
        String charset = charset(type);
        if (charset != null && !charset.equalsIgnoreCase("utf-8")) {
            throw new ApiError(415, "JSON must be UTF-8, not charset " + Abbrev.of(charset, 40));
        }
        if (bytes.length == 0) {
            return null;
        }
        JsonNode root;
        try {
            root = mapper.readTree(bytes);
        } catch (StreamConstraintsException deep) {
            throw ApiError.badField(null, "The body is not acceptable JSON: " + firstLine(deep.getOriginalMessage()));
        } catch (IOException malformed) {
            String detail = malformed instanceof com.fasterxml.jackson.core.JsonProcessingException json
                    ? json.getOriginalMessage() : malformed.getMessage();
            throw ApiError.badField(null, "The body is not valid JSON: " + withoutTokens(firstLine(detail)));
        }
        if (size == Functions.Size.GLOB) {
            checkManifestLimit(root, bytes.length, now);
        }
        return root;
    }

    private JsonNode multipart(HttpServletRequest request, Functions.Function function, long limit)
            throws IOException, ServletException {
        boolean takesFile = function.fields().contains("file");
        ObjectNode fields = JsonNodeFactory.instance.objectNode();
        java.util.Collection<Part> parts;
        try {
            parts = request.getParts();
        } catch (IllegalStateException | IOException | ServletException refused) {
            // Jetty: IllegalStateException "... exceeds ..." past the size limits, IOException for a malformed body
            String why = String.valueOf(refused.getMessage());
            if (refused instanceof IllegalStateException && why.contains("exceed")) {
                throw new ApiError(413, "The multipart body is over the limit of " + limit + " bytes");
            }
            throw ApiError.badField(null, "The multipart body is malformed: " + firstLine(why));
        }
        long total = 0;
        for (Part part : parts) {
            total += part.getSize();
            if (total > limit) {
                throw tooLarge(total, limit);
            }
            String text;
            try (InputStream in = part.getInputStream()) {
                text = new String(read(in, limit), StandardCharsets.UTF_8);
            }
            String name = part.getName();
            if (takesFile && (part.getSubmittedFileName() != null || "file".equals(name))) {
                // the original's upload: the first file, whatever its part is called, is the file; others are ignored
                if (fields.has("file")) {
                    LOG.debug("Multipart part {} ignored: only the first file is used", Abbrev.of(name, 60));
                } else {
                    fields.put("file", text);
                }
                continue;
            }
            if (fields.has(name)) {
                throw ApiError.badField(name, "Field \"" + Abbrev.of(name, 60) + "\" is given twice");
            }
            switch (name) {
                case "do_check", "adopt" -> {
                    if (!text.equals("true") && !text.equals("false")) {
                        throw ApiError.badField(name, "Field \"" + name + "\" must be true or false");
                    }
                    fields.put(name, Boolean.parseBoolean(text));
                }
                case "rev", "revision" -> {
                    if (!text.matches("\\d{1,18}")) {
                        throw ApiError.badField(name, "Field \"" + name + "\" must be a revision (an integer, 0 or more)");
                    }
                    fields.put(name, Long.parseLong(text));
                }
                default -> fields.put(name, text);
            }
        }
        return fields;
    }

    /**
     * A manifest may be larger than other values: past the plain limit the body must store a {@code *_MANIFEST}
     * glob.
     */
    private static void checkManifestLimit(JsonNode body, long size, Limits now) {
        if (size <= now.body()) {
            return;
        }
        JsonNode name = body == null ? null : body.get("name");
        if (name == null || !name.isTextual() || !name.textValue().endsWith("_MANIFEST")) {
            throw tooLarge(size, now.body());
        }
    }

    private static ApiError tooLarge(long size, long limit) {
        return new ApiError(413, "The body has " + size + " bytes, over the limit of " + limit + " bytes (max.body and"
                + " max.manifest.body in etc/" + PID + ".cfg)");
    }

    private static byte[] read(InputStream in, long limit) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[16 * 1024];
        long total = 0;
        for (int n; (n = in.read(buffer)) != -1; ) {
            total += n;
            if (total > limit) {
                throw tooLarge(total, limit);
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    private static String charset(String type) {
        for (String parameter : type.split(";")) {
            String[] pair = parameter.trim().split("=", 2);
            if (pair.length == 2 && pair[0].trim().equalsIgnoreCase("charset")) {
                return pair[1].trim().replace("\"", "");
            }
        }
        return null;
    }

    /** {@code If-Match: "7"} → 7; absent → null; {@code *} or a list → 400. */
    static Long ifMatch(String header) {
        if (header == null) {
            return null;
        }
        Matcher matcher = IF_MATCH.matcher(header);
        if (!matcher.matches()) {
            throw ApiError.badField("If-Match", "If-Match must be one revision as config_get's ETag gives it "
                    + "(\"7\"), not " + Abbrev.of(header, 60));
        }
        return Long.parseLong(matcher.group(1));
    }

    private static final Pattern QUOTED = Pattern.compile("'([^']{4,})'");

    /**
     * Jackson quotes the token it stumbled on; a mistyped secret would then reach the DEBUG log: every quoted token
     * of 4 characters or more is replaced by its length, as the glob store does.
     */
    static String withoutTokens(String message) {
        return QUOTED.matcher(message).replaceAll(m -> "'(" + m.group(1).length() + " characters)'");
    }

    private static String firstLine(String text) {
        String line = text == null ? "" : text.lines().findFirst().orElse("");
        return Abbrev.of(line, 200);
    }

    private void write(HttpServletResponse response, int status, Object body, Long etag) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        byte[] bytes = mapper.writeValueAsBytes(body);
        response.setStatus(status);
        if (etag != null) {
            response.setHeader("ETag", "\"" + etag + "\"");
        }
        response.setContentType("application/json;charset=utf-8");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }
}
