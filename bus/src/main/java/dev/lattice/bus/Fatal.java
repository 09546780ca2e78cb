package dev.lattice.bus;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens when a part a process cannot live without breaks for good (a view's consumer
 * loop, the request loop, a state owner whose transaction state is unknown): by default the
 * process logs it and exits with status 70, so that its supervisor restarts it and it rebuilds
 * everything from Kafka — the one recovery path there is. Tests set {@code -Dlattice.fatal=log}
 * to keep the JVM alive and see the failure in their assertions instead.
 */
@FunctionalInterface
public interface Fatal {
    Logger LOG = LoggerFactory.getLogger(Fatal.class);

    void failed(String what, Throwable cause);

    Fatal EXIT = (what, cause) -> {
        LOG.error("{} failed and cannot recover; exiting so the supervisor restarts this process", what, cause);
        if (!"log".equals(System.getProperty("lattice.fatal"))) Runtime.getRuntime().exit(70);
    };
}
