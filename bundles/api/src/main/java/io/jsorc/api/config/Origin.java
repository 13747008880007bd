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

    /** An origin on this node: the {@code karaf.name} system property, else the host name, else {@code local}. */
    public static Origin local(String actor, String source) {
        return new Origin(actor, source, localNode());
    }

    /** The name of this node, as {@link #local} uses it. */
    public static String localNode() {
        String name = System.getProperty("karaf.name");
        if (name != null && !name.isBlank()) {
            return name;
        }
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "local";
        }
    }

    @Override
    public String toString() {
        return actor + "@" + source + "/" + node;
    }
}
