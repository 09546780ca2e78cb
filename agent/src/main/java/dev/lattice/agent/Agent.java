package dev.lattice.agent;

import dev.lattice.agent.process.Backoff;
import dev.lattice.agent.process.ProcessSpec;
import dev.lattice.agent.process.ProcessSupervisor;
import dev.lattice.bus.Bus;
import dev.lattice.bus.heartbeat.Heartbeat;
import dev.lattice.bus.heartbeat.HeartbeatPublisher;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node agent: supervises this node's processes and tells the platform at once when one of
 * them dies (a DOWN heartbeat on its behalf), so health does not wait for missed beats.
 * Thread-safe.
 */
public final class Agent implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Agent.class);

    private final Bus bus;
    private final Backoff backoff;
    private final Map<String, ProcessSupervisor> supervisors = new ConcurrentHashMap<>();
    private final Map<String, String> instanceOf = new ConcurrentHashMap<>();

    public Agent(Bus bus, Backoff backoff) {
        this.bus = bus;
        this.backoff = backoff;
    }

    public String node() {
        return bus.config().node();
    }

    /** Starts a platform service's process and keeps it running. */
    public void superviseService(String service, String instance, ProcessSpec spec) {
        instanceOf.put(spec.name(), instance);
        supervisors.computeIfAbsent(spec.name(), n -> new ProcessSupervisor(spec, backoff, bus.clock(), new Reporter(service)));
    }

    public List<ProcessSupervisor> supervisors() {
        return List.copyOf(supervisors.values());
    }

    private final class Reporter implements ProcessSupervisor.Listener {
        private final String service;

        Reporter(String service) {
            this.service = service;
        }

        @Override
        public void started(ProcessSpec spec, long pid, int restarts) {
            if (restarts > 0) log.info("{} restarted as pid {} (restart {})", spec.name(), pid, restarts);
        }

        @Override
        public void exited(ProcessSpec spec, long pid, int exitCode, Duration restartIn) {
            var now = bus.clock().instant();
            HeartbeatPublisher.publish(bus.producer(), new Heartbeat(service, instanceOf.get(spec.name()), node(), pid,
                    Heartbeat.Status.DOWN, now, now));
        }
    }

    /** Stops every process, all at once, each with a grace period. */
    @Override
    public void close() {
        List<Thread> stoppers = supervisors.values().stream()
                .map(s -> Thread.ofVirtual().start(() -> s.stop(Duration.ofSeconds(10))))
                .toList();
        for (Thread t : stoppers) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        log.info("agent on {} stopped {} processes", node(), stoppers.size());
    }
}
