package io.jsorc.globs.internal.glob;

import io.jsorc.api.config.Origin;
import io.jsorc.api.config.StoredGlob;
import io.jsorc.globs.internal.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last {@value #KEEP} revisions of every glob this node stored, for {@code jsorc:config-history}, {@code -diff}
 * and {@code -rollback}. Kept in memory and, when a directory is given, in one file per glob
 * ({@code <dir>/<NAME>.history}: one JSON object per line, oldest first, mode 0600 — values hold secrets), rewritten
 * atomically after each revision. It is an aid, not the store: a revision is added in memory at once, and its file
 * written after the revision is acknowledged, on the store's event thread (never on the write path, without fsync);
 * a history file that cannot be read or written costs that glob's history (one WARN), never a write. A glob created
 * again after a delete continues after the newest revision kept (also across a restart), so numbers never repeat.
 *
 * <p>Thread-safety: {@link #add} runs under the store's lock of the name, {@link #save} on its event thread,
 * {@link #of} from any thread.
 */
final class GlobHistory {

    static final int KEEP = 20;
    private static final Logger LOG = LoggerFactory.getLogger(GlobHistory.class);

    private final Path dir;
    private final Map<String, Deque<StoredGlob>> byName = new ConcurrentHashMap<>();

    /** @param dir where the files live, or null for memory only (the test kit) */
    GlobHistory(Path dir) {
        this.dir = dir;
    }

    /**
     * Adds a revision in memory, at once (under the store's name lock, so a command right after the write finds it);
     * returns what to {@link #save} (off the write path), or null when it is the newest kept already.
     */
    List<StoredGlob> add(StoredGlob glob) {
        Deque<StoredGlob> revisions = byName.computeIfAbsent(glob.name(), this::load);
        synchronized (revisions) {
            StoredGlob newest = revisions.peekLast();
            if (newest != null && newest.revision() == glob.revision() && newest.json().equals(glob.json())) {
                return null; // seen already (our write, then its event)
            }
            // numbered at or below what is kept (a glob file restored with an old revision while Karaf was down): its
            // lineage goes on from there, so what is kept from that number on is no longer this glob's past
            revisions.removeIf(kept -> kept.revision() >= glob.revision());
            revisions.addLast(glob);
            while (revisions.size() > KEEP) {
                revisions.removeFirst();
            }
            return new ArrayList<>(revisions);
        }
    }

    /** Adds and saves at once (tests). */
    void record(StoredGlob glob) {
        List<StoredGlob> snapshot = add(glob);
        if (snapshot != null) {
            save(glob.name(), snapshot);
        }
    }

    /** Newest first. A name never kept is not remembered (asking is free). */
    List<StoredGlob> of(String name) {
        Deque<StoredGlob> revisions = byName.get(name);
        if (revisions == null) {
            revisions = load(name);
            if (revisions.isEmpty() && (dir == null || !Files.exists(file(name)))) {
                return List.of(); // nothing kept: not remembered (an unreadable file is, so it warns once)
            }
            Deque<StoredGlob> raced = byName.putIfAbsent(name, revisions);
            revisions = raced != null ? raced : revisions;
        }
        synchronized (revisions) {
            List<StoredGlob> list = new ArrayList<>(revisions);
            java.util.Collections.reverse(list);
            return list;
        }
    }

    /** The newest revision kept of {@code name}, 0 when none: a new glob of that name continues after it. */
    long newest(String name) {
        List<StoredGlob> kept = of(name);
        return kept.isEmpty() ? 0 : kept.get(0).revision();
    }

    private Path file(String name) {
        return dir.resolve(name + ".history");
    }

    private Deque<StoredGlob> load(String name) {
        Deque<StoredGlob> revisions = new ArrayDeque<>();
        if (dir == null || !Files.isRegularFile(file(name))) {
            return revisions;
        }
        try {
            for (String line : Files.readAllLines(file(name), StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    revisions.addLast(fromLine(name, line));
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("The history of glob {} ({}) is not readable ({}); it starts again", name, file(name),
                    e.getMessage());
            revisions.clear();
        }
        while (revisions.size() > KEEP) {
            revisions.removeFirst();
        }
        return revisions;
    }

    /** Writes a snapshot {@link #add} returned (on the store's event thread: snapshots of one name in order). */
    void save(String name, List<StoredGlob> revisions) {
        if (dir == null) {
            return;
        }
        StringBuilder text = new StringBuilder();
        for (StoredGlob glob : revisions) {
            text.append(toLine(glob)).append('\n');
        }
        try {
            Files.createDirectories(dir);
            Path tmp = dir.resolve("." + name + ".history.tmp");
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, file(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.warn("The history of glob {} could not be written to {} ({}); it is kept in memory", name, dir,
                    e.toString());
        }
    }

    static String toLine(StoredGlob glob) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("revision", glob.revision());
        line.put("time", glob.time().toString());
        line.put("actor", glob.origin().actor());
        line.put("source", glob.origin().source());
        line.put("node", glob.origin().node());
        line.put("json", glob.json());
        return Json.write(line);
    }

    static StoredGlob fromLine(String name, String text) {
        Map<?, ?> line = (Map<?, ?>) Json.parse(text);
        return new StoredGlob(name, (String) line.get("json"), ((Number) line.get("revision")).longValue(),
                Instant.parse((String) line.get("time")), new Origin((String) line.get("actor"),
                        (String) line.get("source"), (String) line.get("node")));
    }
}
