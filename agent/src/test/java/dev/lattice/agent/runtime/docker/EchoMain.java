package dev.lattice.agent.runtime.docker;

import java.nio.file.Path;

/** Run inside a container by {@link DockerRuntimeIT}: proves the JDK, the class path, env and working folder are there. */
public final class EchoMain {
    private EchoMain() {}

    public static void main(String[] args) {
        System.out.println("echo cwd=" + Path.of("").toAbsolutePath() + " greeting=" + System.getenv("GREETING")
                + " home=" + System.getenv("HOME"));
        System.err.println("echo to stderr");
    }
}
