package io.jsorc.shell.internal;

/**
 * Normalizes a JSON value typed on the console. The Karaf shell reads a bare {@code { }} as a closure, so JSON is
 * passed single-quoted: {@code '{"enabled":true}'}. Gogo normally strips the quotes; when an argument still
 * carries them (older parsers, some {@code bin/client} paths) one surrounding pair is removed here. No JSON text
 * starts with a single quote, so this never changes a valid value.
 */
final class JsonArgument {

    private JsonArgument() {
    }

    /** {@code text} without one surrounding pair of single quotes; null stays null. */
    static String unquote(String text) {
        if (text != null && text.length() >= 2 && text.startsWith("'") && text.endsWith("'")) {
            return text.substring(1, text.length() - 1);
        }
        return text;
    }
}
