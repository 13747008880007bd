package io.jsorc.shell.internal;

import io.jsorc.api.config.Origin;
import java.security.AccessController;
import javax.security.auth.Subject;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;

/** Who runs a console command, as the {@link Origin} of the writes it makes. */
final class ConsoleUser {

    /** The actor when no JAAS subject (or no user principal) is bound, e.g. in the local console of a test. */
    static final String DEFAULT_USER = "karaf";

    static final String SOURCE = "console";

    private ConsoleUser() {
    }

    /** The user principal's name of the JAAS subject the shell runs the command under, else {@code karaf}. */
    @SuppressWarnings("removal") // Karaf 4.4 binds the session's subject through AccessController (Java 17 only)
    static String name() {
        Subject subject = Subject.getSubject(AccessController.getContext());
        if (subject != null) {
            for (UserPrincipal principal : subject.getPrincipals(UserPrincipal.class)) {
                return principal.getName();
            }
        }
        return DEFAULT_USER;
    }

    /** {@code Origin.local(<user>, "console")}. */
    static Origin origin() {
        return Origin.local(name(), SOURCE);
    }
}
