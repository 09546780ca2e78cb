package dev.lattice.api.repository;

/**
 * What a put answers: the artefact's content address and size, and whether this put added it
 * ({@code false}: identical content was already stored, and is kept once).
 *
 * @param sha256  the SHA-256 of the content, 64 lowercase hex digits
 * @param size    the content's length in bytes
 * @param created whether the content was new to the store
 */
public record Stored(String sha256, long size, boolean created) {
    public Stored {
        Sha256.require(sha256);
        if (size < 0) throw new IllegalArgumentException("size must not be negative");
    }
}
