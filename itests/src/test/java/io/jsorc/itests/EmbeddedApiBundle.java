package io.jsorc.itests;

import io.jsorc.itests.embedded.EmbeddedApiActivator;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/** Builds, in memory, a bundle holding a private copy of every io.jsorc.api class plus {@link EmbeddedApiActivator}. */
final class EmbeddedApiBundle {

    private EmbeddedApiBundle() {
    }

    static InputStream build(BundleContext context) throws IOException {
        Bundle api = Arrays.stream(context.getBundles()).filter(b -> "io.jsorc.api".equals(b.getSymbolicName()))
                .findFirst().orElseThrow();
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", "itest.embedded.api");
        main.putValue("Bundle-Version", "1.0.0");
        main.putValue("Bundle-Activator", EmbeddedApiActivator.class.getName());
        main.putValue("Import-Package", "org.osgi.framework,org.slf4j");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(bytes, manifest)) {
            Enumeration<URL> classes = api.findEntries("io/jsorc/api", "*.class", true);
            while (classes.hasMoreElements()) {
                URL url = classes.nextElement();
                copy(jar, url.getPath().substring(1), url.openStream());
            }
            String activator = EmbeddedApiActivator.class.getName().replace('.', '/') + ".class";
            copy(jar, activator, EmbeddedApiActivator.class.getClassLoader().getResourceAsStream(activator));
            String factory = EmbeddedApiActivator.class.getName().replace('.', '/') + "$1.class";
            copy(jar, factory, EmbeddedApiActivator.class.getClassLoader().getResourceAsStream(factory));
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
