package io.jsorc.itests;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** Bundles built in memory at test time from classes of the test's own class path. */
final class TestBundles {

    private TestBundles() {
    }

    /**
     * A bundle holding {@code classes} (and their inner classes {@code $1..$3} when present) with these main
     * manifest headers.
     */
    static InputStream build(Map<String, String> headers, Class<?>... classes) throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        headers.forEach(main::putValue);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(bytes, manifest)) {
            for (Class<?> type : classes) {
                String base = type.getName().replace('.', '/');
                copy(jar, base + ".class", type.getClassLoader().getResourceAsStream(base + ".class"));
                for (int i = 1; i <= 3; i++) {
                    InputStream inner = type.getClassLoader().getResourceAsStream(base + "$" + i + ".class");
                    if (inner != null) {
                        copy(jar, base + "$" + i + ".class", inner);
                    }
                }
            }
        }
        return new ByteArrayInputStream(bytes.toByteArray());
    }

    private static void copy(JarOutputStream jar, String path, InputStream in) throws IOException {
        try (InputStream source = in) {
            jar.putNextEntry(new JarEntry(path));
            source.transferTo(jar);
            jar.closeEntry();
        }
    }
}
