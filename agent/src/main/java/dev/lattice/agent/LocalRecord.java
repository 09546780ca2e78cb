package dev.lattice.agent;

import dev.lattice.core.Json;
import dev.lattice.workloads.WorkloadSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What this node runs, written to disk at every start of a workload, so that an agent that was
 * killed and restarted finds its workloads again (adopts them) instead of starting duplicates.
 * {@code port}: the port a workload that serves HTTP was given (0 if none), kept across restarts;
 * {@code uid}: the uid a sandboxed workload runs as (0 if none), which an adopted run keeps.
 * The records hold specs, and so an app instance's token: only root may read them.
 */
record LocalRecord(String id, String handle, int restarts, WorkloadSpec spec, int port, int uid) {
    private static final Logger log = LoggerFactory.getLogger(LocalRecord.class);

    static Path dir(Path dataDir) {
        return dataDir.resolve("running");
    }

    void save(Path dataDir) {
        try {
            Path d = dir(dataDir);
            Files.createDirectories(d);
            Owner.restrict(d, "rwx------");
            Path tmp = d.resolve(id + ".json.tmp");
            Files.write(tmp, Json.bytes(this));
            Owner.restrict(tmp, "rw-------");
            Files.move(tmp, d.resolve(id + ".json"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            log.warn("cannot record {}: {}", id, e.toString());
        }
    }

    static void forget(Path dataDir, String id) {
        try {
            Files.deleteIfExists(dir(dataDir).resolve(id + ".json"));
        } catch (IOException e) {
            log.warn("cannot forget {}: {}", id, e.toString());
        }
    }

    static List<LocalRecord> all(Path dataDir) {
        List<LocalRecord> out = new ArrayList<>();
        Path d = dir(dataDir);
        if (!Files.isDirectory(d)) return out;
        try (var files = Files.list(d)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).toList()) {
                try {
                    out.add(Json.read(Files.readAllBytes(f), LocalRecord.class));
                } catch (IOException | RuntimeException e) {
                    log.warn("ignoring unreadable {}: {}", f, e.toString());
                }
            }
        } catch (IOException e) {
            log.warn("cannot list {}: {}", d, e.toString());
        }
        return out;
    }
}
