package io.jsorc.globs.internal.configadmin;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code etc/<pid>.cfg} file of a glob, in the typed format Karaf's FileInstall reads ({@code key = "text"},
 * {@code key = L"123"}), escaped in three layers so FileInstall hands Config Admin the exact text back:
 * FileInstall's typed value quoting ({@code \\}, {@code \"}), its {@code ${...}} interpolation ({@code \\},
 * {@code \{}, {@code \}} — so no {@code ${x}} in a JSON string is ever substituted), and the file itself (pure
 * ASCII: anything outside 0x20..0x7E as {@code \\uXXXX}, so the file reads the same in ISO-8859-1 and UTF-8).
 *
 * <p>Thread-safety: stateless; callers serialize writes of one file.
 */
public final class CfgFile {

    private CfgFile() {
    }

    /** The file text for typed properties ({@code String} or {@code Long} values), in the given key order. */
    public static String encode(String header, Map<String, Object> props) {
        StringBuilder out = new StringBuilder();
        out.append("# ").append(ascii(header)).append('\n');
        props.forEach((k, v) -> out.append(k).append(" = ").append(encodeValue(v)).append('\n'));
        return out.toString();
    }

    static String encodeValue(Object v) {
        if (v instanceof Long l) {
            return "L\"" + l + "\"";
        }
        String s = String.valueOf(v);
        StringBuilder b = new StringBuilder(s.length() + 16).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> b.append("\\\\\\\\"); // typed quoting doubles it, interpolation doubles it again
                case '"' -> b.append("\\\\\""); // typed quoting escapes it, interpolation escapes that backslash
                case '{', '}' -> b.append('\\').append(c); // interpolation: never part of a ${...}
                default -> appendAscii(b, c);
            }
        }
        return b.append('"').toString();
    }

    private static void appendAscii(StringBuilder b, char c) {
        if (c < 0x20 || c > 0x7e) {
            b.append(String.format("\\u%04x", (int) c));
        } else {
            b.append(c);
        }
    }

    private static String ascii(String s) {
        StringBuilder b = new StringBuilder();
        s.chars().forEach(c -> appendAscii(b, (char) c));
        return b.toString();
    }

    /**
     * Reads a file written by {@link #encode} (and plain {@code key = text} lines): the inverse of the three
     * layers. Used only when Config Admin does not (yet) hold the configuration, e.g. right after {@code clean}.
     */
    public static Map<String, Object> decode(String text) {
        Map<String, Object> props = new LinkedHashMap<>();
        for (String line : text.split("\r?\n")) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#") || l.startsWith("!")) {
                continue;
            }
            int eq = l.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String key = l.substring(0, eq).strip();
            String raw = unescapeFileAndInterpolation(l.substring(eq + 1).strip());
            props.put(key, typed(raw));
        }
        return props;
    }

    private static String unescapeFileAndInterpolation(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(i + 1);
                if (n == 'u' && i + 5 < s.length()) {
                    b.append((char) Integer.parseInt(s.substring(i + 2, i + 6), 16));
                    i += 5;
                    continue;
                }
                if (n == '\\' || n == '{' || n == '}') {
                    b.append(n);
                    i++;
                    continue;
                }
            }
            b.append(c);
        }
        return b.toString();
    }

    private static Object typed(String raw) {
        if (raw.length() >= 3 && raw.charAt(0) == 'L' && raw.charAt(1) == '"' && raw.endsWith("\"")) {
            return Long.valueOf(raw.substring(2, raw.length() - 1));
        }
        if (raw.length() >= 2 && raw.charAt(0) == '"' && raw.endsWith("\"")) {
            String inner = raw.substring(1, raw.length() - 1);
            StringBuilder b = new StringBuilder(inner.length());
            for (int i = 0; i < inner.length(); i++) {
                char c = inner.charAt(i);
                if (c == '\\' && i + 1 < inner.length()) {
                    c = inner.charAt(++i);
                }
                b.append(c);
            }
            return b.toString();
        }
        return raw;
    }

    /** Writes {@code text} durably: a hidden temp file (not matched by FileInstall), fsync, atomic rename. */
    public static void writeAtomically(Path file, String text) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = dir.resolve("." + file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(java.nio.ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII)));
            ch.force(true);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
