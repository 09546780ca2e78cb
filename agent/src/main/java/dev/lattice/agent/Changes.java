package dev.lattice.agent;

import dev.lattice.workloads.Workload;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What an agent must do so that what runs on its node matches what is assigned to it: the pure
 * decision of its reconcile pass (the agent then does it). A workload assigned here and not
 * supervised starts, unless its previous run is still stopping; a supervised one no longer
 * assigned stops; one whose spec changed stops first and starts anew at a later pass, once its
 * old run has ended (two runs of one workload never overlap: they share its folder and port).
 *
 * @param start workloads to start
 * @param stop  workload id → why it stops
 */
record Changes(List<Workload> start, Map<String, String> stop) {
    static Changes between(Map<String, Workload> assigned, Map<String, Workload> supervised, Set<String> stopping, String node) {
        List<Workload> start = new ArrayList<>();
        Map<String, String> stop = new LinkedHashMap<>();
        for (Workload w : assigned.values()) {
            Workload running = supervised.get(w.id());
            if (running != null && !running.spec().equals(w.spec())) stop.put(w.id(), "its spec changed");
            else if (running == null && !stopping.contains(w.id())) start.add(w);
        }
        for (String id : supervised.keySet()) {
            if (!assigned.containsKey(id)) stop.put(id, "no longer assigned to " + node);
        }
        return new Changes(List.copyOf(start), Map.copyOf(stop));
    }

    boolean none() {
        return start.isEmpty() && stop.isEmpty();
    }
}
