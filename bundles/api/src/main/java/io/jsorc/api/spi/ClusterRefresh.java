package io.jsorc.api.spi;

import io.jsorc.api.config.Origin;
import java.time.Duration;
import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Refresh everywhere: a {@code service_refresh} made on one node is carried out by every node that follows the same
 * shared glob store, as in the original (a stored change restarts nothing; a refresh applies it). Registered by the
 * shared store while it is enabled; the console and the HTTP API call it after refreshing on their own node.
 */
@ConsumerType
public interface ClusterRefresh {

    /**
     * Asks every other live node to refresh {@code service} (each after a random delay of up to its
     * {@code refresh_jitter}) and waits up to {@code wait} for their acknowledgements (sent once done).
     */
    Acks refreshOthers(String service, Origin origin, Duration wait);

    /** The nodes that carried the refresh out within the wait, and the live ones that did not answer in time. */
    record Acks(List<String> acknowledged, List<String> missing) {

        public Acks {
            acknowledged = List.copyOf(acknowledged);
            missing = List.copyOf(missing);
        }
    }
}
