package dev.lattice.agent;

import dev.lattice.agent.runtime.RunningWorkload;
import dev.lattice.api.apps.AppInstance;
import dev.lattice.bus.Bus;
import dev.lattice.bus.heartbeat.Heartbeat;
import dev.lattice.workloads.Deployment;
import dev.lattice.workloads.Events;
import dev.lattice.workloads.NodeReport;
import dev.lattice.workloads.Workload;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What the agent does when something happens to one of its workloads: records the run (so that
 * the next agent adopts it after a {@code kill -9}), asks for a report at once ({@code reportNow}:
 * a wake of the agent's loop) rather than at the next second, and publishes the event. A platform
 * service that dies is also said DOWN at once, rather than after its heartbeats fall silent.
 */
final class WorkloadEvents implements SupervisedWorkload.Listener {
    private final CrashLoops crashLoops = new CrashLoops();
    private final AgentConfig config;
    private final Bus bus;
    private final Events events;
    private final Confinement confinement;
    private final Runnable reportNow;
    /** Workload id → the service instance whose heartbeat it is (the node's platform services only). */
    private final Map<String, String> heartbeatInstances;

    WorkloadEvents(AgentConfig config, Bus bus, Events events, Confinement confinement, Runnable reportNow) {
        this.config = config;
        this.bus = bus;
        this.events = events;
        this.confinement = confinement;
        this.reportNow = reportNow;
        this.heartbeatInstances = config.staticWorkloads().stream().filter(s -> s.heartbeatInstance() != null)
                .collect(Collectors.toMap(s -> s.workload().id(), AgentConfig.StaticWorkload::heartbeatInstance));
    }

    @Override
    public void started(SupervisedWorkload s, RunningWorkload run, int restarts, boolean adopted) {
        Workload w = s.workload();
        new LocalRecord(w.id(), run.handle(), restarts, w.spec(), s.port(), confinement.uidOf(w.id())).save(config.dataDir());
        reportNow.run();
        if (adopted) events.publish("adopted", "workload/" + w.id(), "found running on " + config.node() + " after an agent restart");
        else if (restarts == 0) events.publish("started", "workload/" + w.id(), "started on " + config.node());
        else events.publish("restarted", "workload/" + w.id(), "restart " + restarts + " on " + config.node());
    }

    @Override
    public void exited(SupervisedWorkload s, NodeReport.LastExit last, int restarts, Duration restartIn) {
        Workload w = s.workload();
        new LocalRecord(w.id(), null, restarts, w.spec(), s.port(), confinement.uidOf(w.id())).save(config.dataDir());
        reportNow.run();
        String instance = heartbeatInstances.get(w.id());
        if (instance != null) { // a platform service: say it is DOWN now rather than after 3 s of silence
            Instant now = bus.clock().instant();
            bus.heartbeatFor(new Heartbeat(w.deployment(), instance, config.node(), -1, Heartbeat.Status.DOWN, now, now));
        }
        if (NodeReport.LastExit.OOM_KILLED.equals(last.reason())) {
            events.publish("oom-killed", "workload/" + w.id(), "killed for exceeding its memory limit on " + config.node()
                    + "; restarting in " + restartIn.toMillis() + " ms");
        } else {
            events.publish("failed", "workload/" + w.id(), "exited with code " + last.exitCode() + " on " + config.node()
                    + "; restarting in " + restartIn.toMillis() + " ms");
        }
        if (crashLoops.exited(w.id(), bus.clock().instant())) {
            String why = CrashLoops.EXITS + " exits within " + CrashLoops.WITHIN.toMinutes() + " min on " + config.node()
                    + ", the last " + (NodeReport.LastExit.OOM_KILLED.equals(last.reason()) ? "OOM-killed" : "with code " + last.exitCode())
                    + "; restarting in " + restartIn.toMillis() + " ms";
            events.publish("crash-looping", "workload/" + w.id(), why);
            // An app instance is FAILED while its workload crash-loops (API.md): say so of the instance too.
            String instancePrefix = AppInstance.deploymentOf("");
            if (Deployment.APP.equals(w.kind()) && w.deployment().startsWith(instancePrefix)) {
                events.publish("app-instance-failed", "app-instance/" + w.deployment().substring(instancePrefix.length()), why);
            }
        }
    }

    @Override
    public void readinessChanged(SupervisedWorkload s, boolean ready) {
        reportNow.run();
        String id = s.workload().id();
        if (ready) events.publish("ready", "workload/" + id, "ready on " + config.node());
        else events.publish("not-ready", "workload/" + id, "no longer ready on " + config.node());
    }

    @Override
    public void failedToStart(SupervisedWorkload s, String reason, Duration retryIn) {
        events.publish("failed", "workload/" + s.workload().id(), "cannot start on " + config.node() + ": " + reason);
    }
}
