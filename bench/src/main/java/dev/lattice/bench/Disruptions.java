package dev.lattice.bench;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What happens to running workloads when something breaks, done from outside as an operator
 * (or a failing machine) would: a workload's process killed with SIGKILL, and a whole node
 * frozen with SIGSTOP (its agent and its workloads' processes: the node is silent, its
 * processes neither run nor die), then thawed with SIGCONT.
 */
final class Disruptions {
    private final DeployBench b;
    /** Shared with the clean-up: whatever is in here is continued if the benchmark dies. */
    private final List<Long> stopped;

    Disruptions(DeployBench bench, List<Long> stopped) {
        this.b = bench;
        this.stopped = stopped;
    }

    /** {@code k} different workloads (round robin over the nodes), one after another: kill -9, until RUNNING with restarts + 1. */
    void restarts(int k) throws Exception {
        System.err.printf("bench/deploy: kill -9 of %d workloads%n", k);
        Map<String, List<ProcTable.Proc>> byNode = new TreeMap<>(ProcTable.running(b.single).stream()
                .filter(p -> p.workload() != null && p.node() != null)
                .sorted(Comparator.comparing(ProcTable.Proc::workload))
                .collect(Collectors.groupingBy(ProcTable.Proc::node)));
        List<ProcTable.Proc> picks = new ArrayList<>();
        for (int i = 0; picks.size() < k && byNode.values().stream().anyMatch(l -> l.size() > 0); i++) {
            for (List<ProcTable.Proc> l : byNode.values()) if (!l.isEmpty() && picks.size() < k) picks.add(l.remove(0));
        }
        long[] micros = new long[picks.size()];
        int elsewhere = 0;
        Report.Stages st = new Report.Stages("kill -> exit seen by the agent (event failed)",
                "-> started again (event restarted)", "-> RUNNING, restarts + 1, seen through the API");
        for (int i = 0; i < picks.size(); i++) {
            ProcTable.Proc p = picks.get(i);
            Poller.W w = b.poller.latest().workloads().get(p.workload());
            if (w == null || !w.running()) throw new IllegalStateException("workload " + p.workload() + " of pid " + p.pid() + " is not RUNNING in the API: " + w);
            if (!p.node().equals(w.node())) elsewhere++;
            int before = w.restarts();
            String id = w.id();
            Instant wall = Instant.now();
            long t0 = System.nanoTime();
            ProcTable.kill9(p.pid());
            var back = b.poller.await(s -> {
                Poller.W x = s.workloads().get(id);
                return x != null && x.running() && x.restarts() > before;
            }, DeployBench.WAIT);
            micros[i] = (back.at() - t0) / 1000;
            Thread.sleep(1000); // its events to arrive; the next kill on a calm platform
            st.add(wall, List.of(b.events.first("failed", "workload/" + id, wall).map(EventLog.Event::ts),
                    b.events.first("restarted", "workload/" + id, wall).map(EventLog.Event::ts),
                    Optional.of(wall.plusNanos(micros[i] * 1000))));
        }
        b.report.section(String.format("Restart: kill -9 of %d workloads' processes, %s", picks.size(),
                picks.stream().collect(Collectors.groupingBy(ProcTable.Proc::node, TreeMap::new, Collectors.counting()))));
        b.report.figureMax("kill -> RUNNING again with restarts + 1", Tally.percentiles(micros), 3000);
        b.report.line("  floor: the agent's first back-off delay, 1000 ms (Backoff.DEFAULT: 1 s doubling to 60 s)");
        if (elsewhere > 0) b.report.line("  NOTE: " + elsewhere + " killed process(es) had LATTICE_NODE different from the node the API showed");
        st.report(b.report, "where the time goes");
    }

    /**
     * For each node in turn: freeze its agent and its workloads' processes; time until the node
     * is NOT_READY and until every workload that was on it is RUNNING on another node; then thaw
     * them and time until the node is READY again and the stale copies are gone.
     */
    void nodeLoss(List<String> nodes) throws Exception {
        b.poller.withNodes(true);
        b.report.section("Node loss: SIGSTOP of a node's agent and its workloads' processes, then SIGCONT (nodes in turn: " + nodes + ")");
        List<Long> moves = new ArrayList<>();
        List<EventLog.Event> flaps = b.events.all("node-not-ready");
        if (!flaps.isEmpty()) {
            b.report.line("  NOTE: before any node was frozen, nodes went NOT_READY " + flaps.size() + " time(s): "
                    + flaps.stream().map(e -> e.subject() + " at " + e.ts()).collect(Collectors.joining(", ")));
        }
        for (int t = 0; t < nodes.size(); t++) {
            String x = nodes.get(t);
            System.err.printf("bench/deploy: node loss %d of %d: %s%n", t + 1, nodes.size(), x);
            var calm = b.poller.await(s -> "READY".equals(s.nodes().get(x)) && s.count(w -> DeployBench.isSingle(w) && w.running()) == b.n,
                    DeployBench.WAIT);
            List<String> onX = calm.workloads().values().stream().filter(w -> DeployBench.isSingle(w) && x.equals(w.node()))
                    .map(Poller.W::id).sorted().toList();
            if (onX.isEmpty()) {
                b.report.line("  trial " + (t + 1) + " (" + x + "): no workload there, skipped");
                continue;
            }
            List<Long> workloadPids = ProcTable.running(b.single).stream().filter(p -> x.equals(p.node())).map(ProcTable.Proc::pid).toList();
            long agent = agentOf(x);
            List<Long> all = new ArrayList<>(workloadPids);
            all.add(agent);
            stopped.addAll(all);
            ProcTable.signal("STOP", all);
            Instant wall = Instant.now();
            long t0 = System.nanoTime();
            long[] notReady = {0};
            var moved = b.poller.await(s -> {
                if (notReady[0] == 0 && "NOT_READY".equals(s.nodes().get(x))) notReady[0] = s.at();
                return notReady[0] != 0 && onX.stream().allMatch(id -> {
                    Poller.W w = s.workloads().get(id);
                    return w != null && w.running() && !x.equals(w.node());
                });
            }, DeployBench.WAIT);
            int peak = ProcTable.count(b.single);

            // Thaw the workloads first, so that the agent's SIGTERM to a stale copy lands on a running process.
            long t1 = System.nanoTime();
            ProcTable.signal("CONT", workloadPids);
            ProcTable.signal("CONT", List.of(agent));
            stopped.removeAll(all);
            long ready = 0;
            long gone = 0;
            long deadline = t1 + DeployBench.WAIT.toNanos();
            while (ready == 0 || gone == 0) {
                if (System.nanoTime() > deadline) throw new IllegalStateException(x + " not READY, or stale copies still running, after CONT");
                if (gone == 0 && ProcTable.count(b.single) == b.n) gone = System.nanoTime();
                if (ready == 0 && "READY".equals(b.poller.latest().nodes().get(x))) ready = System.nanoTime();
                Thread.sleep(DeployBench.POLL.toMillis());
            }
            moves.add((moved.at() - t0) / 1000);
            b.report.line(String.format("  trial %d, %s (%d workloads, %d processes frozen): NOT_READY after %.1f s; all %d RUNNING elsewhere after %.1f s %s;",
                    t + 1, x, onX.size(), workloadPids.size(), (notReady[0] - t0) / 1e9, onX.size(), (moved.at() - t0) / 1e9,
                    DeployBench.perNode(moved, w -> onX.contains(w.id()))));
            b.report.line(String.format("      CONT -> %s READY %.1f s, -> stale copies gone (%d -> %d processes) %.1f s",
                    x, (ready - t1) / 1e9, peak, b.n, (gone - t1) / 1e9));
            Thread.sleep(1000); // the events to arrive
            stages(x, onX, wall, wall.plusNanos((moved.at() - t0))).report(b.report, "    where the time goes");
        }
        b.poller.withNodes(false);
        int extra = b.events.all("node-not-ready").size() - flaps.size() - moves.size();
        if (extra > 0) b.report.line("  NOTE: " + extra + " node-not-ready event(s) during the trials beyond one per frozen node");
        if (!moves.isEmpty()) {
            b.report.figureMax("node frozen -> its workloads RUNNING elsewhere", Tally.percentiles(moves.stream().mapToLong(Long::longValue).toArray()), 15000);
            b.report.line("  floor: node silent 3 s (LATTICE_NODE_SILENCE_MS; counted from its last report, up to 1 s before the freeze) -> NOT_READY, + 5 s (LATTICE_NODE_LOST_AFTER_MS) -> moved: 7-8 s");
        }
    }

    /**
     * The agent process of {@code node}: a child of this run's {@code lattice up} (other
     * platforms may run on the machine with the same node names), or, should agents ever run
     * outside its process tree, any process whose command line names the node and this run's data.
     */
    private long agentOf(String node) {
        String fragment = " agent --node " + node + " ";
        return ProcTable.find(fragment, b.platform.descendants())
                .or(() -> ProcTable.find(fragment, ProcessHandle.allProcesses().filter(h -> {
                    var c = ProcTable.cmdline(h.pid());
                    return c != null && String.join(" ", c).contains(b.platform.data.toString());
                })))
                .orElseThrow(() -> new IllegalStateException("no agent process for " + node));
    }

    /** One trial's steps, each ending at the last of its workloads' events. */
    private Report.Stages stages(String x, List<String> ids, Instant from, Instant seen) {
        Report.Stages st = new Report.Stages("frozen -> NOT_READY (event node-not-ready)", "-> last workload moved (event rescheduled)",
                "-> last one started elsewhere (event started)", "-> all RUNNING seen through the API");
        st.add(from, List.of(b.events.first("node-not-ready", "node/" + x, from).map(EventLog.Event::ts),
                last("rescheduled", ids, from), last("started", ids, from), Optional.of(seen)));
        return st;
    }

    private Optional<Instant> last(String kind, List<String> ids, Instant from) {
        Instant max = null;
        for (String id : ids) {
            Optional<Instant> e = b.events.first(kind, "workload/" + id, from).map(EventLog.Event::ts);
            if (e.isEmpty()) return Optional.empty();
            if (max == null || e.get().isAfter(max)) max = e.get();
        }
        return Optional.ofNullable(max);
    }
}
