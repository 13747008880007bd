package io.jsorc.shell.internal;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Captures what a command prints. */
final class Output {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final PrintStream stream = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    String text() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** Forgets what was printed so far. */
    void clear() {
        bytes.reset();
    }

    /** {@link #text()} with ShellTable's box-drawing separators (used on UTF-8 terminals) turned into ASCII. */
    String table() {
        return text().replace('│', '|').replace('─', '-').replace('┼', '+');
    }
}
