package io.jsorc.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.jsorc.api.MetaService;
import io.jsorc.api.config.GlobStore;
import io.jsorc.api.config.GlobValue;
import io.jsorc.api.config.Origin;
import io.jsorc.itests.services.ColorService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Dictionary;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/** Globs in the real Config Admin: one write path, edits made behind our back, the etc/ file; service builders. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class GlobConfigAdminIT extends JsorcTestSupport {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Origin TEST = Origin.local("itest", "test");

    @Inject
    protected GlobStore globs;

    @Inject
    protected ConfigurationAdmin configAdmin;

    @Inject
    protected MetaService meta;

    @Test
    public void aWriteLandsInConfigAdminAndInEtc() throws Exception {
        long revision = globs.set("WRITTEN_CONFIG", "{\"a\":[1,{\"b\":null}],\"c\":\"é\"}", null, TEST);
        assertEquals(1, revision);
        Configuration configuration = configAdmin.getConfiguration("jsorc.glob.WRITTEN_CONFIG", "?");
        assertEquals("{\"a\":[1,{\"b\":null}],\"c\":\"é\"}", configuration.getProperties().get("json"));
        Path file = Path.of(System.getProperty("karaf.etc"), "jsorc.glob.WRITTEN_CONFIG.cfg");
        assertTrue(file + " exists", Files.exists(file));
    }

    /**
     * Defect 2, through the real Config Admin and FileInstall: FileInstall compared a file it read at revision 1
     * with the configuration after revision 2 was written, and wrote revision 1 back with its file name. The
     * acknowledged revision 2 stays, in Config Admin and in the file.
     */
    @Test
    public void aStaleEchoOfAnOlderRevisionNeverReplacesTheAcknowledgedOne() throws Exception {
        globs.set("ECHO_CONFIG", "{\"v\":1}", null, TEST);
        Configuration configuration = configAdmin.getConfiguration("jsorc.glob.ECHO_CONFIG", "?");
        Dictionary<String, Object> revisionOne = configuration.getProperties();
        assertEquals(2, globs.set("ECHO_CONFIG", "{\"v\":2}", null, TEST));
        Path file = Path.of(System.getProperty("karaf.etc"), "jsorc.glob.ECHO_CONFIG.cfg");
        revisionOne.put("felix.fileinstall.filename", file.toUri().toString());
        configuration.update(revisionOne);
        await("Config Admin holds revision 2 again").atMost(WAIT).until(() -> {
            Dictionary<String, Object> now = configAdmin.getConfiguration("jsorc.glob.ECHO_CONFIG", "?").getProperties();
            return "{\"v\":2}".equals(now.get("json")) && Long.valueOf(2).equals(now.get("jsorc.revision"));
        });
        await("and so does the file").atMost(WAIT).until(() -> Files.readString(file).contains("L\"2\""));
        GlobValue value = globs.get("ECHO_CONFIG").orElseThrow();
        assertEquals("{\"v\":2}", value.json());
        assertEquals(2, value.revision());
    }

    /** Defect 14: glob files may hold keys and passwords; only their owner reads them. */
    @Test
    public void globFilesAreReadableByTheOwnerOnly() throws Exception {
        globs.set("PRIVATE_CONFIG", "{\"password\":\"x\"}", null, TEST);
        Path file = Path.of(System.getProperty("karaf.etc"), "jsorc.glob.PRIVATE_CONFIG.cfg");
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(file)));
    }

    @Test
    public void anEditMadeInConfigAdminBecomesTheNextRevision() throws Exception {
        long first = globs.set("EDITED_CONFIG", "{\"color\":\"red\"}", null, TEST);
        Configuration configuration = configAdmin.getConfiguration("jsorc.glob.EDITED_CONFIG", "?");
        Dictionary<String, Object> properties = configuration.getProperties();
        properties.put("json", "{\"color\":\"green\"}");
        configuration.update(properties);
        AtomicReference<GlobValue> seen = new AtomicReference<>();
        await("the outside edit to become a revision").atMost(WAIT).until(() -> {
            seen.set(globs.get("EDITED_CONFIG").orElseThrow());
            return seen.get().json().equals("{\"color\":\"green\"}");
        });
        assertEquals(first + 1, seen.get().revision());
        assertEquals("configadmin", seen.get().stored().origin().source());
    }

    @Test
    public void anInvalidOutsideEditIsRefusedAndTheLastGoodValueRestored() throws Exception {
        globs.set("BROKEN_CONFIG", "{\"ok\":true}", null, TEST);
        Configuration configuration = configAdmin.getConfiguration("jsorc.glob.BROKEN_CONFIG", "?");
        Dictionary<String, Object> properties = configuration.getProperties();
        properties.put("json", "[\"not an object\"]");
        configuration.update(properties);
        await("the last good value back in Config Admin").atMost(WAIT).until(() -> "{\"ok\":true}"
                .equals(configAdmin.getConfiguration("jsorc.glob.BROKEN_CONFIG", "?").getProperties().get("json")));
        assertEquals("{\"ok\":true}", globs.get("BROKEN_CONFIG").orElseThrow().json());
    }

    @Test
    public void deletingTheConfigurationDeletesTheGlob() throws Exception {
        globs.set("DOOMED_CONFIG", "{}", null, TEST);
        configAdmin.getConfiguration("jsorc.glob.DOOMED_CONFIG", "?").delete();
        await("the glob deleted").atMost(WAIT).until(() -> !globs.exists("DOOMED_CONFIG"));
        assertFalse(Files.exists(Path.of(System.getProperty("karaf.etc"), "jsorc.glob.DOOMED_CONFIG.cfg")));
    }

    @Test
    public void serviceGlobWritesDefaultsOnceAndMergesNewKeys() {
        globs.set("MERGED_CONFIG", "{\"enabled\":true,\"nested\":{\"x\":1},\"list\":[1]}", null, TEST);
        long before = globs.get("MERGED_CONFIG").orElseThrow().revision();
        Map<String, Object> merged = globs.serviceGlob("MERGED_CONFIG",
                Map.of("enabled", false, "nested", Map.of("x", 2, "y", 3), "list", List.of(9), "extra", "e"), TEST);
        assertEquals(true, merged.get("enabled"));
        assertEquals(Map.of("x", 1, "y", 3), merged.get("nested"));
        assertEquals(List.of(1), merged.get("list"));
        assertEquals("e", merged.get("extra"));
        assertEquals(before + 1, globs.get("MERGED_CONFIG").orElseThrow().revision());
        globs.serviceGlob("MERGED_CONFIG", Map.of("enabled", false), TEST);
        assertEquals("nothing added, nothing written", before + 1, globs.get("MERGED_CONFIG").orElseThrow().revision());
    }

    @Test
    public void aServiceBuilderIsRegisteredUnderItsOwnerAndRefusesADuplicateName() {
        ServiceRegistration<?> registration = meta.addServiceBuilder(bundleContext, "builder",
                () -> new ColorService("built"));
        try {
            await("the builder listed and running").atMost(WAIT)
                    .until(() -> meta.getService("builder", null) != null
                            && "built:red".equals(meta.getService("builder", null).getApp()));
            assertEquals(bundleContext.getBundle(), registration.getReference().getBundle());
            IllegalArgumentException refused = null;
            try {
                meta.addServiceBuilder(bundleContext, "builder", () -> new ColorService("again"));
            } catch (IllegalArgumentException e) {
                refused = e;
            }
            assertEquals("builder already exists!", refused == null ? null : refused.getMessage());
        } finally {
            registration.unregister();
        }
        await("the builder gone").atMost(WAIT).until(() -> !meta.serviceNames().contains("builder"));
    }
}
