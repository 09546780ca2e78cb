package dev.lattice.agent.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import dev.lattice.agent.runtime.Launch;
import dev.lattice.agent.runtime.RunningWorkload;
import dev.lattice.agent.runtime.WorkloadRuntime;
import dev.lattice.workloads.WorkloadSpec;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs workloads as containers of a Docker engine, through its API (docker-java).
 *
 * <p>Each run is a container {@code lattice-NODE-ID} labelled {@code lattice.node} and
 * {@code lattice.workload}, with an init process ({@code --init}: a shell as PID 1 would ignore
 * SIGTERM), the host's network (workloads reach Kafka and the gateway on localhost, as processes
 * do), the spec's CPU and memory as limits, and the workload's folder mounted at its own path. A
 * command runs in the {@link RuntimeImage} with the agent's JDK and Lattice jars mounted read-only
 * at their host paths, as the agent's user; an image runs as it is and must already be in the
 * engine (no registry is reachable). Output is appended to the workload's log file. A user's
 * workload ({@link Launch#sandbox()}) is confined: its sandbox's uid:gid (an image's too), no
 * capabilities, {@code no-new-privileges}, a read-only root with a small tmpfs {@code /tmp}, the
 * sandbox's memory, CPU and pids limits, and no mounts but its folder (and the JDK and jars).
 *
 * <p>The engine is the one {@code DOCKER_HOST} names (default: the local Unix socket), with
 * {@code DOCKER_TLS_VERIFY}/{@code DOCKER_CERT_PATH} for a remote one (a Docker server made a node
 * with nothing of Lattice on it). A remote engine cannot mount this machine's folders: a command
 * runs in a runtime image that holds the JDK and jars ({@link RuntimeImage#SHIPPED_TAG}, built once
 * through the engine's API), the workload's folder (its artefact) is copied into a volume of the
 * container's own before it starts, pids are unknown and usage comes from stats streams. Its
 * capacity is the engine's ({@link #capacity()}), and {@link #available()} says whether it answers.
 *
 * <p>Thread-safe. Each live run holds two engine streams (output, wait) on docker-java's threads;
 * {@link #close()} drops them and leaves the containers running for the next agent to adopt.
 */
public final class DockerRuntime implements WorkloadRuntime {
    static final String HANDLE_PREFIX = "container:";
    private static final Logger log = LoggerFactory.getLogger(DockerRuntime.class);

    private final DockerClient docker;
    private final boolean local;
    /** The engine's address, as DOCKER_HOST gave it. */
    private final URI engineUri;
    private final RuntimeImage runtimeImage;
    private final HostPaths host;
    private final Clock clock;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "docker-runtime");
        t.setDaemon(true);
        return t;
    });
    private final Set<DockerRun> runs = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;
    /** A remote engine's cores, memory and version, once asked. */
    private volatile Capacity known;

    DockerRuntime(DockerClient docker, boolean local, RuntimeImage runtimeImage, HostPaths host, Clock clock) {
        this(docker, local, runtimeImage, host, clock, URI.create("unix:///var/run/docker.sock"));
    }

    DockerRuntime(DockerClient docker, boolean local, RuntimeImage runtimeImage, HostPaths host, Clock clock, URI engine) {
        this.engineUri = engine;
        this.docker = docker;
        this.local = local;
        this.runtimeImage = runtimeImage;
        this.host = host;
        this.clock = clock;
    }

    /**
     * Connects to the engine named by {@code DOCKER_HOST} (and docker-java's other usual settings)
     * and checks that it answers.
     *
     * @throws IOException if the engine does not answer, naming where it was looked for
     */
    public static DockerRuntime connect() throws IOException {
        return connect(HostPaths.current());
    }

    /** As {@link #connect()}, with the JDK, jars and user that command workloads get. */
    static DockerRuntime connect(HostPaths host) throws IOException {
        DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder().build();
        DockerClient client = clientFor(config);
        try {
            client.pingCmd().exec();
        } catch (RuntimeException e) {
            closeQuietly(client);
            throw new IOException("the Docker engine at " + config.getDockerHost() + " does not answer"
                    + " (is dockerd running? DOCKER_HOST selects another engine): " + e.getMessage(), e);
        }
        boolean local = isLocal(config.getDockerHost());
        DockerRuntime runtime = new DockerRuntime(client, local, local ? new RuntimeImage(host.javaHome())
                : new RuntimeImage(host.javaHome(), true, host.libDirs()), host, Clock.systemUTC(), config.getDockerHost());
        if (!local) runtime.shipRuntimeImage();
        return runtime;
    }

    static DockerClient clientFor(DockerClientConfig config) {
        var http = new ApacheDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig())
                // Two long-lived streams per running workload (output and wait), plus the calls.
                .maxConnections(512)
                .connectionTimeout(Duration.ofSeconds(5))
                .build();
        return DockerClientImpl.getInstance(config, http);
    }

    /** Whether the engine runs on this machine, so its containers' pids and cgroup files are ours to read. */
    static boolean isLocal(URI dockerHost) {
        String scheme = dockerHost.getScheme();
        if ("unix".equals(scheme) || "npipe".equals(scheme)) return true;
        String h = dockerHost.getHost();
        return h != null && (h.equals("localhost") || h.equals("127.0.0.1") || h.equals("[::1]") || h.equals("::1"));
    }

    @Override
    public String name() {
        return "docker";
    }

    @Override
    public String sandbox() {
        return "docker: non-root, no capabilities, read-only root, cgroup limits";
    }

    @Override
    public Optional<String> refuses(WorkloadSpec spec) {
        return Optional.empty();
    }

    /** The engine and its version, for the node's report: its /info is asked once, by whichever needs it first. */
    @Override
    public dev.lattice.workloads.DockerEngine engine() {
        return local ? null : new dev.lattice.workloads.DockerEngine(engineUri.toString(), capacity().map(Capacity::serverVersion).orElse(null));
    }

    @Override
    public String workloadHost() {
        return local || engineUri.getHost() == null ? "127.0.0.1" : engineUri.getHost();
    }

    /** Whether the engine runs on this machine (its containers can mount this machine's folders). */
    public boolean isLocal() {
        return local;
    }

    /** The engine's cores and memory, and its version: what a remote engine's node offers. Empty if it does not answer. */
    public Optional<Capacity> capacity() {
        if (known == null) known = RemoteEngine.capacity(docker).orElse(null);
        return Optional.ofNullable(known);
    }

    /** What a Docker engine offers its node. */
    public record Capacity(int cpus, long memoryMb, String serverVersion) {}

    /**
     * Whether the engine answers. A remote engine's node is only as alive as its engine: its agent
     * stops reporting while the engine is away, so the node turns NOT_READY and its workloads move.
     */
    @Override
    public boolean available() {
        return local || RemoteEngine.answers(docker, executor);
    }

    /** A remote engine gets the shipped runtime image at once (hundreds of MiB), not on a first deploy. */
    private void shipRuntimeImage() {
        executor.execute(() -> {
            try {
                runtimeImage.ensure(docker);
            } catch (IOException | RuntimeException e) {
                log.warn("Could not ship the runtime image to the engine yet (retried at the first command): {}", e.toString());
            }
        });
    }

    @Override
    public RunningWorkload start(Launch launch) throws IOException {
        if (closed) throw new IOException("the docker runtime is closed");
        long t0 = System.nanoTime();
        String runtime = launch.spec().needsDocker() ? null : runtimeImage.ensure(docker);
        Files.createDirectories(launch.workDir());
        Files.createDirectories(launch.logFile().toAbsolutePath().getParent());
        ContainerPlan plan;
        try {
            plan = ContainerPlan.of(launch, runtime, host, !local);
        } catch (IllegalArgumentException unsafe) {
            throw new IOException(unsafe.getMessage(), unsafe);
        }
        String id;
        try {
            id = create(plan, launch.id());
        } catch (ImageMissing e) {
            if (runtime == null) throw e;
            // Someone removed the runtime image since it was built: build it again, once.
            runtimeImage.forget();
            runtimeImage.ensure(docker);
            id = create(plan, launch.id());
        }
        try {
            if (plan.copyInto() != null) RemoteEngine.copyIn(docker, id, launch, plan);
            docker.startContainerCmd(id).exec();
            DockerRun run = watch(id, docker.inspectContainerCmd(id).exec(), launch, null);
            log.info("Started container {} ({}) for workload {} in {} ms", plan.name(), id.substring(0, 12), launch.id(),
                    (System.nanoTime() - t0) / 1_000_000);
            return run;
        } catch (RuntimeException | IOException e) {
            removeQuietly(id);
            throw new IOException("workload " + launch.id() + ": docker could not start container " + plan.name()
                    + " (image " + plan.image() + "): " + e.getMessage(), e);
        }
    }

    /** Creates the container, replacing a leftover of the same name (from an earlier run or a crashed agent). */
    private String create(ContainerPlan plan, String workload) throws IOException {
        HostConfig hc = plan.hostConfig();
        for (int attempt = 1; ; attempt++) {
            removeQuietly(plan.name());
            try (CreateContainerCmd cmd = docker.createContainerCmd(plan.image())) {
                cmd.withName(plan.name()).withLabels(plan.labels()).withEnv(plan.env()).withHostConfig(hc);
                if (!plan.command().isEmpty()) cmd.withCmd(plan.command());
                if (plan.user() != null) cmd.withUser(plan.user());
                if (plan.workingDir() != null) cmd.withWorkingDir(plan.workingDir());
                return cmd.exec().getId();
            } catch (NotFoundException noImage) {
                throw new ImageMissing("workload " + workload + ": image " + plan.image() + " is not in the local Docker engine"
                        + " (no registry is reachable; build or load it first, e.g. docker load -i IMAGE.tar)", noImage);
            } catch (ConflictException nameTaken) {
                // The leftover's removal was still under way (a sweep, or the old run's own clean-up).
                if (attempt == 5) throw new IOException("workload " + workload + ": container name " + plan.name()
                        + " stays taken: " + nameTaken.getMessage(), nameTaken);
                sleep(Duration.ofMillis(200L * attempt));
            } catch (RuntimeException e) {
                throw new IOException("workload " + workload + ": docker could not create container " + plan.name()
                        + " (image " + plan.image() + "): " + e.getMessage(), e);
            }
        }
    }

    /** Starts watching a running container: its output (all of it, or from {@code from}), its end, its usage. */
    private DockerRun watch(String id, InspectContainerResponse info, Launch launch, Instant from) throws IOException {
        Long statePid = info.getState().getPidLong();
        long pid = local && statePid != null && statePid > 0 ? statePid : -1;
        UsageProbe usage = local ? new CgroupUsage(id, pid) : new StatsUsage(docker, id);
        LogFollower logs = LogFollower.follow(docker, id, launch.logFile(), from);
        DockerRun run = new DockerRun(docker, id, launch.id(), pid, usage, logs, executor, runs::remove);
        runs.add(run);
        if (run.exit().isDone()) runs.remove(run); // it ended before it was added
        return run;
    }

    @Override
    public Optional<RunningWorkload> adopt(Launch launch, String handle) {
        if (closed || handle == null || !handle.startsWith(HANDLE_PREFIX)) return Optional.empty();
        String id = handle.substring(HANDLE_PREFIX.length());
        Instant now = clock.instant();
        InspectContainerResponse info;
        try {
            info = docker.inspectContainerCmd(id).exec();
        } catch (NotFoundException gone) {
            return Optional.empty();
        } catch (RuntimeException e) {
            log.warn("Cannot adopt container {} of workload {}: {}", id, launch.id(), e.toString());
            return Optional.empty();
        }
        Map<String, String> labels = info.getConfig().getLabels() == null ? Map.of() : info.getConfig().getLabels();
        if (!launch.node().equals(labels.get(ContainerPlan.NODE_LABEL)) || !launch.id().equals(labels.get(ContainerPlan.WORKLOAD_LABEL))) {
            log.warn("Not adopting container {}: it belongs to {} of node {}, not {} of node {}", id,
                    labels.get(ContainerPlan.WORKLOAD_LABEL), labels.get(ContainerPlan.NODE_LABEL), launch.id(), launch.node());
            return Optional.empty();
        }
        if (!Boolean.TRUE.equals(info.getState().getRunning())) {
            removeQuietly(info.getId());
            return Optional.empty();
        }
        try {
            Files.createDirectories(launch.logFile().toAbsolutePath().getParent());
            DockerRun run = watch(info.getId(), info, launch, now);
            log.info("Adopted container {} of workload {}", info.getId().substring(0, 12), launch.id());
            return Optional.of(run);
        } catch (IOException | RuntimeException e) {
            log.warn("Cannot adopt container {} of workload {}: {}", id, launch.id(), e.toString());
            return Optional.empty();
        }
    }

    /**
     * Removes every container labelled with {@code node} whose handle is not in {@code keepHandles},
     * running or not. Runs this instance is watching are kept as well, so a sweep cannot kill a
     * workload started after the caller took its list.
     */
    @Override
    public void sweep(String node, Set<String> keepHandles) {
        Set<String> watched = runs.stream().filter(r -> !r.exit().isDone()).map(DockerRun::containerId).collect(Collectors.toSet());
        try {
            for (Container c : docker.listContainersCmd().withShowAll(true)
                    .withLabelFilter(Map.of(ContainerPlan.NODE_LABEL, node)).exec()) {
                if (keepHandles.contains(HANDLE_PREFIX + c.getId()) || watched.contains(c.getId())) continue;
                log.info("Removing leftover container {} ({}, {}) of node {}", String.join(",", c.getNames()),
                        c.getId().substring(0, 12), c.getState(), node);
                removeQuietly(c.getId());
            }
        } catch (RuntimeException e) {
            log.warn("Cannot sweep the containers of node {}: {}", node, e.toString());
        }
    }

    /** The engine client, for tests. */
    DockerClient client() {
        return docker;
    }

    /** Stops watching the runs (their containers keep running, for the next agent to adopt) and closes the client. */
    @Override
    public void close() {
        closed = true;
        runs.forEach(DockerRun::detach);
        runs.clear();
        executor.shutdownNow();
        closeQuietly(docker);
    }

    /** The engine does not have the image (create never pulls, and there is no registry to pull from). */
    private static final class ImageMissing extends IOException {
        private static final long serialVersionUID = 1L;

        ImageMissing(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private void removeQuietly(String nameOrId) {
        try {
            docker.removeContainerCmd(nameOrId).withForce(true).withRemoveVolumes(true).exec();
        } catch (NotFoundException | ConflictException gone) {
            // not there, or being removed already
        } catch (RuntimeException e) {
            log.warn("Could not remove container {}: {}", nameOrId, e.toString());
        }
    }

    private static void closeQuietly(DockerClient client) {
        try {
            client.close();
        } catch (IOException ignored) {
            // closing a client whose connections are gone
        }
    }

    private static void sleep(Duration d) throws IOException {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
