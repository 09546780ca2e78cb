package dev.lattice.agent.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.MemoryStatsConfig;
import com.github.dockerjava.api.model.Statistics;
import com.github.dockerjava.api.model.StatsConfig;
import dev.lattice.agent.runtime.RunningWorkload.Usage;

/**
 * CPU and memory of a container on a remote engine, whose cgroup files cannot be read: one stats
 * stream per container, opened on the first {@link #read()} and kept open (the engine sends a
 * sample a second; a one-shot call would block for a sampling cycle each time). Thread-safe.
 */
final class StatsUsage implements UsageProbe {
    private final DockerClient docker;
    private final String containerId;
    private ResultCallback.Adapter<Statistics> stream;
    private boolean closed;
    private volatile Usage latest = Usage.NONE;

    StatsUsage(DockerClient docker, String containerId) {
        this.docker = docker;
        this.containerId = containerId;
    }

    @Override
    public Usage read() {
        synchronized (this) {
            if (stream == null && !closed) stream = docker.statsCmd(containerId).exec(new ResultCallback.Adapter<>() {
                @Override
                public void onNext(Statistics s) {
                    latest = usageOf(s);
                }

                @Override
                public void onError(Throwable t) {
                    // The template would log this at ERROR; the container ending or an engine restart is not a person's problem.
                    onComplete();
                }
            });
        }
        return latest;
    }

    /** Like a process's RSS: v1 reports rss and mapped files; v2 only the total, less the inactive page cache. */
    static Usage usageOf(Statistics s) {
        long cpu = s.getCpuStats() == null || s.getCpuStats().getCpuUsage() == null ? 0
                : nz(s.getCpuStats().getCpuUsage().getTotalUsage());
        MemoryStatsConfig m = s.getMemoryStats();
        StatsConfig st = m == null ? null : m.getStats();
        long memory = 0;
        if (st != null && st.getTotalRss() != null) memory = nz(st.getTotalRss()) + nz(st.getTotalMappedFile());
        else if (m != null) memory = Math.max(0, nz(m.getUsage()) - (st == null ? 0 : nz(st.getInactiveFile())));
        return new Usage(cpu, memory);
    }

    private static long nz(Long v) {
        return v == null ? 0 : v;
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (stream != null) {
            try {
                stream.close();
            } catch (java.io.IOException ignored) {
                // the stream is gone either way
            }
        }
    }
}
