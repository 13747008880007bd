package io.jsorc.http.internal;

/** Checks an {@code Authorization} header. */
interface Authenticator {

    /** Who sent a request: a user, and whether the user has the required role. */
    record Login(String user, boolean authorized) {
    }

    /**
     * The login of {@code authorization}.
     *
     * @param authorization the header, or null
     * @return the login, or null when there are no valid credentials (missing, malformed, unknown user, wrong
     *         password)
     */
    Login authenticate(String authorization);
}
