package io.jsorc.redis.internal.shared;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What this node remembers of the shared store between runs: the epoch it followed, the run of Redis it last shook
 * hands with (Redis's run id: a restarted Redis is seeded again) and the id of the last stream entry it applied ({@code data/jsorc/shared-store.properties}). Losing it costs a join or a resync, never a
 * change: an entry applied twice is skipped by its revision. Written atomically, without fsync.
 *
 * <p>Thread-safety: written by the follower thread only; the tier reads the epoch and run id it was given.
 */
final class NodeState {

    private static final Logger LOG = LoggerFactory.getLogger(NodeState.class);

    private final Path file;
    String epoch = "";
    String runId = "";
    String lastId = "0-0";
    /** A change was not taken by this node's local copy: the next start reads the whole store. */
    boolean dirty;

    NodeState(Path file) {
        this.file = file;
        if (file == null || !Files.isRegularFile(file)) {
            return;
        }
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(in);
            epoch = props.getProperty("epoch", "");
            runId = props.getProperty("run.id", "");
            lastId = props.getProperty("last.id", "0-0");
            dirty = Boolean.parseBoolean(props.getProperty("dirty", "false"));
        } catch (IOException | IllegalArgumentException e) {
            LOG.warn("Could not read {} ({}): this node joins the shared store again", file, e.getMessage());
        }
    }

    void save() {
        if (file == null) {
            return;
        }
        Properties props = new Properties();
        props.setProperty("epoch", epoch);
        props.setProperty("run.id", runId);
        props.setProperty("last.id", lastId);
        props.setProperty("dirty", Boolean.toString(dirty));
        try {
            Files.createDirectories(file.getParent());
            Path temp = file.resolveSibling("." + file.getFileName() + ".tmp");
            try (Writer out = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
                props.store(out, "JsOrc: the shared glob store this node follows");
            }
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.warn("Could not write {} ({}): after a restart this node resyncs", file, e.getMessage());
        }
    }
}
