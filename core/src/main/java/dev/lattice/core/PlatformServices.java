package dev.lattice.core;

import java.util.List;

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

    private PlatformServices() {}
}
