package io.jsorc.api;

import java.io.PrintWriter;
import java.io.StringWriter;

/** How a failure is shown in one line: the error's class and the first useful message of its cause chain. */
final class Errors {

    private Errors() {
    }

    /**
     * {@code java.net.ConnectException: Connection refused}: the class of {@code error} and the first message in
     * its cause chain that is not blank and not just a wrapped cause's {@code toString()}; the class alone when
     * none has one (never {@code : null}).
     */
    static String describe(Throwable error) {
        String message = null;
        int depth = 0;
        for (Throwable t = error; t != null && depth < 20; t = t.getCause(), depth++) {
            String m = t.getMessage();
            if (m != null && !m.isBlank() && (t.getCause() == null || !m.equals(t.getCause().toString()))) {
                message = m.strip();
                break;
            }
        }
        return message == null ? error.getClass().getName() : error.getClass().getName() + ": " + message;
    }

    /** The full stack trace. */
    static String stack(Throwable error) {
        StringWriter text = new StringWriter();
        error.printStackTrace(new PrintWriter(text));
        return text.toString();
    }
}
