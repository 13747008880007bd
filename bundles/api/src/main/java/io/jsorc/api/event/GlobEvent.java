package io.jsorc.api.event;

import io.jsorc.api.config.Origin;
import java.time.Instant;

/**
 * A glob was written or deleted. {@code oldRevision} is 0 when it was created; {@code newRevision} is 0 when it
 * was deleted.
 */
public record GlobEvent(String name, long oldRevision, long newRevision, Origin origin, Instant time) {

    public boolean deleted() {
        return newRevision == 0;
    }
}
