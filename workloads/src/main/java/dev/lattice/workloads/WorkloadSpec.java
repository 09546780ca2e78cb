package dev.lattice.workloads;

import dev.lattice.core.LatticeException;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * How to run one workload, on whichever node it lands: a command line (process runtime, or
 * inside the Lattice runtime image under docker) or a container image (docker nodes only),
 * extra environment, the resources it reserves, and optionally an artefact from the repository
 * that the agent downloads and verifies first (its local path is then in {@code LATTICE_ARTEFACT}).
 * A workload that serves HTTP names its readiness path ({@link Http}): the agent gives it a port
 * and reports it ready, with its address, only once that path answers.
 */
public record WorkloadSpec(List<String> command, String image, Map<String, String> env, Resources resources,
                           Artefact artefact, Http http) {
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
    private static final Pattern IMAGE = Pattern.compile("[a-z0-9][a-z0-9._/:@-]{0,254}");

    /**
     * A file from the repository, by content hash; {@code fileName} is what it is called in the
     * workload's folder. With {@code unpack}, the file is a bundle (zip or tar.gz) that the agent
     * unpacks safely ({@link dev.lattice.workloads.bundle.Bundle}) into the folder {@code app}
     * beside it, and the workload runs in that folder (a {@code command} app, API.md).
     */
    public record Artefact(String sha256, String fileName, boolean unpack) {
        public Artefact(String sha256, String fileName) {
            this(sha256, fileName, false);
        }

        private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
        private static final Pattern FILE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

        public Artefact {
            if (sha256 == null || !SHA256.matcher(sha256).matches())
                throw LatticeException.badRequest("workloads:artefact.sha256", "artefact.sha256: 64 lower-case hex digits");
            if (fileName == null) fileName = "artefact";
            if (!FILE.matcher(fileName).matches() || fileName.contains(".."))
                throw LatticeException.badRequest("workloads:artefact.file", "artefact.fileName: a plain file name, not '" + fileName + "'");
        }
    }

    /**
     * The workload serves HTTP on the port the agent puts in {@code LATTICE_PORT}, and is ready
     * (status RUNNING, address reported) only while {@code GET readyPath} answers 2xx. Until then
     * it is STARTING: the deployer's rolling replace and the gateway's proxy wait for readiness,
     * not for a process to exist.
     */
    public record Http(String readyPath) {
        private static final Pattern PATH = Pattern.compile("/[A-Za-z0-9._~/-]{0,255}");

        public Http {
            if (readyPath == null || !PATH.matcher(readyPath).matches())
                throw LatticeException.badRequest("workloads:http.path", "http.readyPath: an absolute path like /health, not '" + readyPath + "'");
        }
    }

    public WorkloadSpec(List<String> command, String image, Map<String, String> env, Resources resources, Artefact artefact) {
        this(command, image, env, resources, artefact, null);
    }

    public WorkloadSpec {
        command = command == null ? List.of() : List.copyOf(command);
        env = env == null ? Map.of() : Map.copyOf(env);
        resources = resources == null ? Resources.NONE : resources;
        boolean hasCommand = !command.isEmpty();
        boolean hasImage = image != null && !image.isBlank();
        if (hasCommand == hasImage)
            throw LatticeException.badRequest("workloads:what", "command or image: give exactly one of them");
        if (hasImage && !IMAGE.matcher(image).matches())
            throw LatticeException.badRequest("workloads:image", "image: '" + image + "' is not an image reference");
        if (command.size() > 256) throw LatticeException.badRequest("workloads:command.long", "command: at most 256 arguments");
        long total = 0;
        for (int i = 0; i < command.size(); i++) {
            String arg = command.get(i);
            // Linux takes up to 128 KiB per argument; a class path can be long.
            if (arg == null || arg.length() > 131_072 || arg.indexOf('\0') >= 0)
                throw LatticeException.badRequest("workloads:command.arg", "command[" + i + "]: a string of at most 131072 characters");
            total += arg.length();
        }
        // The spec travels in a Kafka record (1 MB by default) with its env.
        if (total > 262_144) throw LatticeException.badRequest("workloads:command.long", "command: at most 262144 characters in all");
        if (command.size() > 0 && command.get(0).isBlank())
            throw LatticeException.badRequest("workloads:command.empty", "command[0]: the program to run is empty");
        if (env.size() > 128) throw LatticeException.badRequest("workloads:env.many", "env: at most 128 variables");
        for (var e : env.entrySet()) {
            if (!ENV_NAME.matcher(e.getKey()).matches())
                throw LatticeException.badRequest("workloads:env.name", "env: '" + e.getKey() + "' is not a variable name");
            if (e.getValue() == null || e.getValue().length() > 32768 || e.getValue().indexOf('\0') >= 0)
                throw LatticeException.badRequest("workloads:env.value", "env." + e.getKey() + ": a string of at most 32768 characters");
        }
    }

    public boolean needsDocker() {
        return image != null;
    }
}
