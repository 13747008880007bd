package io.jsorc.globs.internal.glob;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jsorc.api.config.Origin;
import io.jsorc.api.config.StoredGlob;
import io.jsorc.api.spi.GlobTier;
import java.time.Instant;

/** What every {@link GlobTier} answers: writes and deletes act only at the expected revision, and say so. */
public final class GlobTierContract {

    static final Origin ME = Origin.local("test", "test");

    private GlobTierContract() {
    }

    private static StoredGlob glob(String name, String json, long revision) {
        return new StoredGlob(name, json, revision, Instant.now(), ME);
    }

    /** Leaves {@code tier} without {@code G} and {@code ABSENT}, as it found it. */
    public static void assertCompareAndSetContract(GlobTier tier) throws Exception {
        assertTrue(tier.putIfAbsent(glob("G", "1", 1)));
        assertFalse(tier.putIfAbsent(glob("G", "2", 1)), "a second create");
        assertFalse(tier.compareAndSet("G", 5, glob("G", "2", 6)), "a wrong expected revision");
        assertFalse(tier.compareAndSet("ABSENT", 1, glob("ABSENT", "2", 2)), "an absent glob");
        assertTrue(tier.compareAndSet("G", 1, glob("G", "2", 2)));
        assertFalse(tier.compareAndSet("G", 1, glob("G", "3", 3)), "the revision it replaced");
        assertEquals("2", tier.get("G").orElseThrow().json());
        assertFalse(tier.delete("G", 1));
        assertFalse(tier.delete("ABSENT", 1));
        assertTrue(tier.delete("G", 2));
        assertTrue(tier.get("G").isEmpty());
    }
}
