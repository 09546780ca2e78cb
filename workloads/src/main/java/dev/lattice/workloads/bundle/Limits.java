package dev.lattice.workloads.bundle;

/**
 * How much a bundle may unpack to: entries (files and folders), bytes in all and in one file,
 * and how many times its own size it may grow. Bytes are counted as they are written, never read
 * from an archive's headers, which a bomb fills with whatever it likes.
 *
 * @param maxRatio the most a bundle may expand, as unpacked bytes per archive byte; only applied
 *                 beyond {@link #RATIO_FREE_BYTES}, since a small file of zeros legitimately
 *                 compresses a thousandfold
 */
public record Limits(int maxEntries, long maxBytes, long maxEntryBytes, int maxRatio) {
    public static final long RATIO_FREE_BYTES = 1024 * 1024;
    /**
     * Fixed, not per call: what the file system itself would refuse (a name over 255 bytes, a path
     * over 4096 once under the node's folders) must be refused as the bundle's fault, a 400, before
     * a write fails as if it were the machine's.
     */
    public static final int MAX_NAME_BYTES = 255;
    public static final int MAX_PATH_BYTES = 1024;
    public static final int MAX_DEPTH = 64;
    /** 10,000 entries, 512 MiB in all, 256 MiB per file, 100 times the archive. */
    public static final Limits DEFAULT = new Limits(10_000, 512L << 20, 256L << 20, 100);

    public Limits {
        if (maxEntries < 1 || maxBytes < 1 || maxEntryBytes < 1 || maxRatio < 1)
            throw new IllegalArgumentException("bundle limits must all be positive: " + maxEntries + ", " + maxBytes + ", " + maxEntryBytes + ", " + maxRatio);
    }
}
