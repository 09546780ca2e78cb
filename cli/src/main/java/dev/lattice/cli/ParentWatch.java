package dev.lattice.cli;

import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends this process when its supervisor is gone, so that a platform whose root process was
 * killed outright ({@code kill -9}) leaves no orphan services behind.
 */
final class ParentWatch {
    private static final Logger log = LoggerFactory.getLogger(ParentWatch.class);

    private ParentWatch() {}

    static void start(Optional<Long> supervisorPid) {
        if (supervisorPid.isEmpty()) return;
        var parent = ProcessHandle.of(supervisorPid.get());
        if (parent.isEmpty()) {
            log.error("supervisor {} is already gone", supervisorPid.get());
            System.exit(3);
        }
        Thread.ofPlatform().daemon().name("parent-watch").start(() -> {
            while (parent.get().isAlive()) {
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
            }
            log.warn("supervisor {} has gone; stopping", supervisorPid.get());
            System.exit(0);
        });
    }
}
