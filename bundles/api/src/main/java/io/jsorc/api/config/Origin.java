package io.jsorc.api.config;

import java.util.Objects;

/**
 * Who wrote a glob revision: {@code actor} (a user name or a service name), {@code source} ({@code console},
 * {@code http}, {@code webconsole}, {@code file}, {@code default}, {@code service}, {@code redis}, ...) and
 * the {@code node} it was written on.
 */
public record Origin(String actor, String source, String node) {

    public Origin {
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(node, "node");
    }

    @Override
    public String toString() {
        return actor + "@" + source + "/" + node;
    }
}
