package io.jsorc.redis.internal;

import java.net.UnknownHostException;

/** Readable reasons for Redis connection failures (the redis service and the shared glob store). */
public final class Failures {

    private Failures() {
    }

    /**
     * Why a connection failed, in lower case first and without a class name: the network error at its root
     * ("connection refused", "connect timed out", "unknown host h") — Jedis puts it as the cause or as a suppressed
     * exception of its own "Failed to connect" — else the deepest message.
     */
    public static String reason(Throwable error) {
        Throwable network = network(error, 0);
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        Throwable chosen = network != null ? network : root;
        String text = chosen.getMessage();
        if (chosen instanceof UnknownHostException) {
            text = "unknown host " + text;
        } else if (text != null) {
            text = text.replaceAll("\\s*\\(.*\\)$", ""); // "Connection refused (Connection refused)" on some JDKs
        }
        if (text == null || text.isBlank()) {
            text = chosen.getClass().getSimpleName();
        }
        // "Connection refused" reads "connection refused"; an acronym ("ERR", "WRONGPASS") stays as it is
        return text.length() > 1 && Character.isLowerCase(text.charAt(1))
                ? Character.toLowerCase(text.charAt(0)) + text.substring(1) : text;
    }

    private static Throwable network(Throwable error, int depth) {
        if (error == null || depth > 10) {
            return null;
        }
        if (error instanceof java.net.SocketException || error instanceof UnknownHostException
                || error instanceof java.net.SocketTimeoutException) {
            return error;
        }
        for (Throwable suppressed : error.getSuppressed()) {
            Throwable found = network(suppressed, depth + 1);
            if (found != null) {
                return found;
            }
        }
        return error.getCause() == error ? null : network(error.getCause(), depth + 1);
    }
}
