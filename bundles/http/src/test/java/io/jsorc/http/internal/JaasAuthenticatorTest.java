package io.jsorc.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JaasAuthenticatorTest {

    final List<String> logins = new ArrayList<>();
    final AtomicLong now = new AtomicLong(1_000);

    /** A realm knowing admin/pw (role) and viewer/pw (no role), counting its logins. */
    JaasAuthenticator.Realm realm = (user, password) -> {
        logins.add(user);
        if (!new String(password).equals("pw")) {
            return null;
        }
        return user.equals("admin") ? new Authenticator.Login("admin", true)
                : user.equals("viewer") ? new Authenticator.Login("viewer", false) : null;
    };

    static String basic(String credentials) {
        return "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    }

    JaasAuthenticator authenticator(int ttl, Path users) {
        return new JaasAuthenticator(realm, "karaf\nadmin", ttl, users, now::get);
    }

    @Test
    void aSuccessfulLoginIsReusedWithinItsTtlOnly() {
        JaasAuthenticator auth = authenticator(30, null);
        assertEquals(new Authenticator.Login("admin", true), auth.authenticate(basic("admin:pw")));
        assertEquals(new Authenticator.Login("admin", true), auth.authenticate(basic("admin:pw")));
        assertEquals(List.of("admin"), logins, "the second request paid no login");
        now.addAndGet(30_000_000_001L);
        auth.authenticate(basic("admin:pw"));
        assertEquals(List.of("admin", "admin"), logins, "past the TTL the realm is asked again");
        assertEquals(new Authenticator.Login("viewer", false), auth.authenticate(basic("viewer:pw")));
    }

    @Test
    void failedLoginsAreNeverRememberedAndMalformedHeadersNeverReachTheRealm() {
        JaasAuthenticator auth = authenticator(30, null);
        assertNull(auth.authenticate(basic("admin:guess")));
        assertNull(auth.authenticate(basic("admin:guess")));
        assertEquals(List.of("admin", "admin"), logins);
        logins.clear();
        for (String header : new String[] {null, "", "Bearer x", "Basic", "Basic !!!", basic("nocolon"),
                basic(":pw")}) {
            assertNull(auth.authenticate(header), String.valueOf(header));
        }
        assertEquals(List.of(), logins);
        assertEquals(0, auth.cached());
    }

    @Test
    void theTtlIsAtMostSixtySecondsAndZeroRemembersNothing() {
        JaasAuthenticator auth = authenticator(3600, null);
        auth.authenticate(basic("admin:pw"));
        now.addAndGet(60_000_000_001L);
        auth.authenticate(basic("admin:pw"));
        assertEquals(2, logins.size());
        JaasAuthenticator never = authenticator(0, null);
        never.authenticate(basic("admin:pw"));
        never.authenticate(basic("admin:pw"));
        assertEquals(4, logins.size());
        assertEquals(0, never.cached());
    }

    @Test
    void aLoginUnderWayWhenTheRealmChangesIsNotRemembered() {
        JaasAuthenticator[] auth = new JaasAuthenticator[1];
        JaasAuthenticator.Realm flushing = (user, password) -> {
            logins.add(user);
            auth[0].flush(); // the realm changed while this login was being checked
            return new Authenticator.Login(user, true);
        };
        auth[0] = new JaasAuthenticator(flushing, "k", 30, null, now::get);
        auth[0].authenticate(basic("admin:pw"));
        auth[0].authenticate(basic("admin:pw"));
        assertEquals(2, logins.size(), "the login that straddled the flush was not reused");
        assertEquals(0, auth[0].cached());
    }

    @Test
    void aFlushOrAChangedUsersFileForgetsEveryLogin(@TempDir Path dir) throws Exception {
        Path users = Files.writeString(dir.resolve("users.properties"), "admin = pw,_g_:admingroup\n");
        JaasAuthenticator auth = authenticator(30, users);
        auth.authenticate(basic("admin:pw"));
        auth.authenticate(basic("admin:pw"));
        assertEquals(1, logins.size());
        Files.writeString(users, "admin = other,_g_:admingroup\n# the password changed\n");
        auth.authenticate(basic("admin:pw"));
        assertEquals(2, logins.size(), "a changed users file is seen at the next request");
        auth.flush();
        auth.authenticate(basic("admin:pw"));
        assertEquals(3, logins.size());
    }
}
