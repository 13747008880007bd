package io.jsorc.globs.internal.configadmin;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.io.StringReader;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.felix.utils.properties.TypedProperties;

/**
 * The {@code etc/<pid>.cfg} file of a glob, in the typed format Karaf's FileInstall reads ({@code key = "text"},
 * {@code key = L"123"}), escaped in three layers so FileInstall hands Config Admin the exact text back:
 * FileInstall's typed value quoting ({@code \\}, {@code \"}), its {@code ${...}} interpolation ({@code \\},
 * {@code \{}, {@code \}} — so no {@code ${x}} in a JSON string is ever substituted), and the file itself (pure
 * ASCII: anything outside 0x20..0x7E as {@code \\uXXXX}, so the file reads the same in ISO-8859-1 and UTF-8).
 *
 * <p>Reading is FileInstall's own reader ({@code org.apache.felix.utils.properties.TypedProperties}, embedded);
 * writing is ours, because that writer's escaping loses a level of backslashes on the way back (see
 * docs/globs.md).
 *
 * <p>Thread-safety: stateless; callers serialize writes of one file.
 */
public final class CfgFile {

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

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
     * Reads a {@code .cfg} file exactly as FileInstall does (its {@link TypedProperties}: typed values, the three
     * layers undone), except that a {@code ${...}} naming no key of the file is an error here instead of a lookup of
     * system properties: our own files never contain one. Used only when Config Admin does not (yet) hold the
     * configuration, e.g. right after {@code clean}.
     *
     * @throws IOException when the text cannot be read that way
     */
    public static Map<String, Object> decode(String text) throws IOException {
        TypedProperties properties = new TypedProperties((name, key, variable) -> {
            throw new IllegalArgumentException("${" + variable + "} in " + key + " names nothing");
        });
        try {
            properties.load(new StringReader(text));
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
        return new LinkedHashMap<>(properties);
    }

    /**
     * Writes {@code text} durably: a hidden temp file (not matched by FileInstall), readable and writable by the
     * owner only (globs hold keys and passwords), fsync, atomic rename.
     */
    public static void writeAtomically(Path file, String text) throws IOException {
        writeAtomically(file, text.getBytes(StandardCharsets.US_ASCII));
    }

    /** {@link #writeAtomically(Path, String)} of bytes as they are; the directory entry is made durable too. */
    public static void writeAtomically(Path file, byte[] bytes) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = dir.resolve("." + file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        }
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(java.nio.ByteBuffer.wrap(bytes));
            ch.force(true);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
        FileChannel directory;
        try {
            directory = FileChannel.open(dir, StandardOpenOption.READ);
        } catch (IOException e) {
            return; // not every file system lets a directory be opened; the file's own content is durable already
        }
        try (directory) {
            directory.force(true); // the rename itself survives a crash: a failure here is a failed write
        }
    }
}
