package io.jsorc.globs.internal.configadmin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.felix.fileinstall.shaded.util.properties.TypedProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The .cfg text against the reader Karaf 4.4.10 really runs: FileInstall 3.7.4's shaded TypedProperties. */
class CfgFileTest {

    static final String[] TRICKY = {"{\"a\\\\b\":\"x=y:z#w!\"}", "{\"u\":\"é€😀\"}", "\"${karaf.home} $[x] ${ }\"",
        "{\"q\":\"\\\"\\\\\\\\\\\"\"}", "{\"k\":[1,1.0,null,{},[]],\"big\":9223372036854775808}",
        "{\"a.b.c\":{\"d\":[{\"e\":\"}{\"}]}}", "\"\\\\u0041 \\\\n \\t\"", "\"=\"", "\"#!\"", "null", "{}", "[]"};

    /** FileInstall substitutes ${...} from bundle context and system properties: make every lookup visible. */
    static TypedProperties fileInstallRead(byte[] bytes, Charset encoding) throws Exception {
        TypedProperties p = new TypedProperties((name, key, value) -> "SUBSTITUTED");
        p.load(new InputStreamReader(new ByteArrayInputStream(bytes), encoding));
        return p;
    }

    static Map<String, Object> props(String json) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("json", json);
        p.put("jsorc.revision", 3L);
        p.put("jsorc.origin.actor", "ünïcode \"actor\" {x}");
        return p;
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11})
    void fileInstallReadsTheExactJsonTextBack(int i) throws Exception {
        String text = CfgFile.encode("header é", props(TRICKY[i]));
        assertTrue(text.chars().allMatch(c -> c == '\n' || (c >= 0x20 && c <= 0x7e)), "pure ASCII: " + text);
        TypedProperties read = fileInstallRead(text.getBytes(StandardCharsets.US_ASCII), StandardCharsets.ISO_8859_1);
        assertEquals(TRICKY[i], read.get("json"));
        assertEquals(3L, read.get("jsorc.revision"));
        assertEquals("ünïcode \"actor\" {x}", read.get("jsorc.origin.actor"));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11})
    void ourReaderIsFileInstallsAndInvertsTheEncoding(int i) throws Exception {
        Map<String, Object> p = props(TRICKY[i]);
        String file = CfgFile.encode("h", p);
        assertEquals(p, CfgFile.decode(file));
        assertEquals(new java.util.HashMap<>(fileInstallRead(file.getBytes(StandardCharsets.US_ASCII),
                StandardCharsets.ISO_8859_1)), new java.util.HashMap<>(CfgFile.decode(file)),
                "the same values as FileInstall's own (shaded) reader");
    }

    @Test
    void aSubstitutionThatNamesNothingIsRefusedNotLookedUp() {
        assertThrows(java.io.IOException.class, () -> CfgFile.decode("json = \"${karaf.home}\"\n"));
    }

    /** FileInstall saves a configuration back into its file (enableConfigSave); with UTF-8 that is lossless. */
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11})
    void fileInstallWriteBackInUtf8KeepsTheText(int i) throws Exception {
        byte[] ours = CfgFile.encode("h", props(TRICKY[i])).getBytes(StandardCharsets.US_ASCII);
        TypedProperties p = fileInstallRead(ours, StandardCharsets.UTF_8);
        props(TRICKY[i]).forEach(p::put);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8)) {
            p.save(w);
        }
        assertEquals(TRICKY[i], fileInstallRead(out.toByteArray(), StandardCharsets.UTF_8).get("json"));
    }

    @Test
    void writeAtomicallyReplacesTheFileAndLeavesNoTempFile(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("jsorc.glob.G.cfg");
        CfgFile.writeAtomically(f, "a = \"1\"\n");
        CfgFile.writeAtomically(f, "a = \"2\"\n");
        assertEquals("a = \"2\"\n", Files.readString(f));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count());
        }
    }
}
