package dev.lattice.bus.state;

import java.time.Instant;

/**
 * One platform object as stored: its kind and name, a version that grows by one with every
 * write (the first write is version 1), who wrote it and when, and the value itself.
 */
public record Versioned<T>(String kind, String name, long version, Instant updatedAt, String updatedBy, T value) {

    /** The record key on the state topic: {@code kind/name}. */
    public String key() {
        return key(kind, name);
    }

    static String key(String kind, String name) {
        return kind + "/" + name;
    }
}
