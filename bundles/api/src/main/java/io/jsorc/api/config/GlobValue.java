package io.jsorc.api.config;

/**
 * A glob read from the store: its stored revision and the value parsed from its JSON text. {@code value} is a
 * fresh, mutable copy made for this caller ({@code Map} keeps key order, numbers keep their JSON form:
 * {@code Integer/Long/BigInteger} for integers, {@code BigDecimal} for decimals).
 */
public record GlobValue(StoredGlob stored, Object value) {

    public String name() {
        return stored.name();
    }

    public String json() {
        return stored.json();
    }

    public long revision() {
        return stored.revision();
    }
}
