package dev.lattice.core;

import java.util.List;
import java.util.Map;

/**
 * The catalogue of platform services: what {@code lattice up} starts and what the monitor
 * expects a live heartbeat from before it calls the platform UP. Later services join this list.
 */
public final class PlatformServices {
    public static final String AUTH = "auth";
    public static final String MONITOR = "monitor";
    public static final String SENSORS = "sensors";
    public static final String GATEWAY = "gateway";
    public static final String NODES = "nodes";
    public static final String DEPLOYER = "deployer";
    public static final String REPOSITORY = "repository";
    public static final String MODELS = "models";
    public static final String APPS = "apps";
    public static final String SCHEDULER = "scheduler";

    /** In start order: the gateway last, so that it finds the others already answering. */
    public static final List<String> ALL = List.of(AUTH, MONITOR, NODES, DEPLOYER, REPOSITORY, MODELS, SENSORS, APPS, SCHEDULER, GATEWAY);

    /**
     * Which services each service calls on its own behalf (as {@link Principal#service}), each call
     * on a request topic of its own ({@code Topics.lane}) that only the caller may write: the topic
     * a request arrives on is what proves which service sent it, so the gateway's Kafka user (which
     * writes the services' main request topics) cannot pass itself off as another service. The
     * gateway calls the models service as itself for one command: rolling back a failing canary
     * (the models service refuses it anything else as itself).
     */
    public static final Map<String, List<String>> CALLS = Map.of(
            MODELS, List.of(DEPLOYER, REPOSITORY),
            APPS, List.of(DEPLOYER, REPOSITORY),
            SCHEDULER, List.of(DEPLOYER),
            GATEWAY, List.of(MODELS));

    /** The services that call {@code callee} on their own behalf. */
    public static List<String> callersOf(String callee) {
        return CALLS.entrySet().stream().filter(e -> e.getValue().contains(callee)).map(Map.Entry::getKey).sorted().toList();
    }

    /** Whether {@code caller} calls {@code callee} on its own behalf, on its lane. */
    public static boolean calls(String caller, String callee) {
        return CALLS.getOrDefault(caller, List.of()).contains(callee);
    }

    private PlatformServices() {}
}
