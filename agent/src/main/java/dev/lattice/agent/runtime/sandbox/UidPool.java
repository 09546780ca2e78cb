package dev.lattice.agent.runtime.sandbox;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;

/**
 * Hands out the uids user workloads run as, one per workload and never one that another running
 * workload has: not in this agent, nor in another agent on the same host (simulated nodes share a
 * machine). A uid is taken by holding an OS file lock on {@code DIR/UID.lock}; the kernel drops it
 * when the agent process dies, and the next agent of the node takes the uids of the runs it adopts
 * again before it hands out new ones. Thread-safe.
 */
public final class UidPool {
    /** Far above Debian's regular users (1000+) and subordinate id ranges (100000-165535). */
    public static final int FIRST = 300_000;
    public static final int COUNT = 60_000;

    private final Path dir;
    private final Map<Integer, FileLock> held = new HashMap<>();
    private int next;

    public UidPool(Path dir) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir);
        // Only root may take a uid: a workload must not block one (it sees this folder read-only anyway).
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        this.next = (int) (ProcessHandle.current().pid() * 7919 % COUNT); // agents on one host start apart
    }

    /** The pool every agent of this host shares. */
    public static UidPool forHost() throws IOException {
        Path run = Path.of("/run");
        return new UidPool(Files.isWritable(run) ? run.resolve("lattice/uids") : Path.of(System.getProperty("java.io.tmpdir"), "lattice-uids"));
    }

    /** A uid no running workload on this host has. */
    public synchronized int acquire() {
        for (int i = 0; i < COUNT; i++) {
            int uid = FIRST + (next + i) % COUNT;
            if (take(uid)) {
                next = (next + i + 1) % COUNT;
                return uid;
            }
        }
        throw new IllegalStateException("all " + COUNT + " workload uids are in use on this host");
    }

    /** Takes {@code uid} again for a run adopted after an agent restart; false if someone else holds it. */
    public synchronized boolean reacquire(int uid) {
        return uid >= FIRST && uid < FIRST + COUNT && take(uid);
    }

    public synchronized void release(int uid) {
        FileLock lock = held.remove(uid);
        if (lock == null) return;
        try {
            lock.channel().close();
        } catch (IOException ignored) {
            // closing drops the lock either way
        }
    }

    private boolean take(int uid) {
        if (held.containsKey(uid)) return false;
        FileChannel ch = null;
        try {
            ch = FileChannel.open(dir.resolve(uid + ".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = ch.tryLock();
            if (lock == null) {
                ch.close();
                return false;
            }
            held.put(uid, lock);
            return true;
        } catch (IOException | OverlappingFileLockException e) {
            if (ch != null) try {
                ch.close();
            } catch (IOException ignored) {
                // nothing held
            }
            return false;
        }
    }
}
