package io.jsorc.globs.internal.config;

/** How a stored value is echoed back in a message: never in full when it is long. */
final class Echo {

    /** At most this many characters of a value are echoed. */
    static final int MAX = 200;

    private Echo() {
    }

    /** {@code text} when short; else its first {@value #MAX} characters, {@code ...} and its full length. */
    static String abbreviate(String text) {
        if (text.length() <= MAX) {
            return text;
        }
        return text.substring(0, MAX) + "... (" + text.length() + " characters)";
    }
}
