package io.jsorc.http.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import javax.security.auth.Subject;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.LoginContext;
import javax.security.auth.login.LoginException;
import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP Basic against a Karaf JAAS realm. A successful login is remembered for a short time (at most 60 s), keyed by
 * a SHA-256 of the realm, role and header (never the header itself), so a request does not pay a full JAAS login;
 * failed logins are never remembered. {@link #flush} forgets every login: called when a JAAS realm or the
 * {@code org.apache.karaf.jaas} configuration changes; a change of the users file ({@code etc/users.properties}) is
 * seen at the next request (its size and time are compared).
 *
 * <p>Thread-safety: thread-safe.
 */
final class JaasAuthenticator implements Authenticator {

    private static final Logger LOG = LoggerFactory.getLogger(JaasAuthenticator.class);
    static final int MAX_TTL_SECONDS = 60;
    /** More distinct credentials than this within one TTL are not remembered (no memory grows with attackers). */
    static final int MAX_CACHED = 10_000;

    /** A remembered login, valid only in the generation (between two flushes) it was made in. */
    private record Cached(Login login, long expiresNanos, long generation) {
    }

    /** The login of a user name and password, or null when refused. */
    @FunctionalInterface
    interface Realm {
        Login login(String user, char[] password);
    }

    private final Realm realm;
    private final String key;
    private final long ttlNanos;
    private final Path usersFile;
    private final LongSupplier nanoTime;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    /** Bumped by every flush: a login that began before a flush is not remembered after it. */
    private final java.util.concurrent.atomic.AtomicLong generation = new java.util.concurrent.atomic.AtomicLong();
    private volatile List<Object> usersStamp;

    JaasAuthenticator(String realmName, String role, int ttlSeconds, Path usersFile) {
        this(jaas(realmName, role), realmName + "\n" + role, ttlSeconds, usersFile, System::nanoTime);
    }

    JaasAuthenticator(Realm realm, String key, int ttlSeconds, Path usersFile, LongSupplier nanoTime) {
        this.realm = realm;
        this.key = key;
        this.ttlNanos = Math.max(0, Math.min(ttlSeconds, MAX_TTL_SECONDS)) * 1_000_000_000L;
        this.usersFile = usersFile;
        this.nanoTime = nanoTime;
        this.usersStamp = stamp(usersFile);
    }

    @Override
    public Login authenticate(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        String cacheKey = ttlNanos > 0 ? sha256(key + "\n" + authorization) : null;
        if (cacheKey != null) {
            List<Object> stamp = stamp(usersFile);
            if (!Objects.equals(stamp, usersStamp)) {
                usersStamp = stamp;
                flush();
            }
            Cached cached = cache.get(cacheKey);
            if (cached != null && cached.expiresNanos - nanoTime.getAsLong() > 0
                    && cached.generation == generation.get()) {
                return cached.login;
            }
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notBase64) {
            return null;
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            return null;
        }
        long began = generation.get();
        Login login = realm.login(decoded.substring(0, colon), decoded.substring(colon + 1).toCharArray());
        if (login != null && cacheKey != null && generation.get() == began) {
            cache.values().removeIf(c -> c.expiresNanos - nanoTime.getAsLong() <= 0);
            if (cache.size() < MAX_CACHED) {
                cache.put(cacheKey, new Cached(login, nanoTime.getAsLong() + ttlNanos, began));
            }
        }
        return login;
    }

    /** Forgets every remembered login. */
    void flush() {
        generation.incrementAndGet();
        cache.clear();
    }

    int cached() {
        return cache.size();
    }

    private static List<Object> stamp(Path file) {
        if (file == null) {
            return null;
        }
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return List.of(attributes.lastModifiedTime(), attributes.size(), String.valueOf(attributes.fileKey()));
        } catch (IOException e) {
            return List.of();
        }
    }

    private static String sha256(String text) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /**
     * A JAAS login in {@code realmName}: the user's role principals decide. The login modules are loaded through this
     * bundle's class loader (it imports Karaf's {@code org.apache.karaf.jaas.boot}, where the realm's proxy module lives).
     */
    static Realm jaas(String realmName, String role) {
        return (user, password) -> {
            Subject subject = new Subject();
            Thread thread = Thread.currentThread();
            ClassLoader previous = thread.getContextClassLoader();
            thread.setContextClassLoader(JaasAuthenticator.class.getClassLoader());
            try {
                LoginContext context = new LoginContext(realmName, subject, callbacks -> answer(callbacks, user, password));
                context.login();
                boolean authorized = subject.getPrincipals(RolePrincipal.class).stream()
                        .anyMatch(principal -> role.equals(principal.getName()));
                try {
                    context.logout();
                } catch (LoginException ignored) {
                    // the subject is ours and dropped anyway
                }
                return new Login(user, authorized);
            } catch (LoginException refused) {
                LOG.debug("HTTP login of {} in realm {} refused: {}", user, realmName, refused.getMessage());
                return null;
            } finally {
                thread.setContextClassLoader(previous);
                java.util.Arrays.fill(password, '\0');
            }
        };
    }

    private static void answer(Callback[] callbacks, String user, char[] password) throws UnsupportedCallbackException {
        for (Callback callback : callbacks) {
            if (callback instanceof NameCallback name) {
                name.setName(user);
            } else if (callback instanceof PasswordCallback secret) {
                secret.setPassword(password.clone());
            } else {
                throw new UnsupportedCallbackException(callback);
            }
        }
    }

    /** {@code karaf.etc/users.properties}, or null outside Karaf. */
    static Path defaultUsersFile() {
        String etc = System.getProperty("karaf.etc");
        return etc == null ? null : Path.of(etc, "users.properties");
    }
}
