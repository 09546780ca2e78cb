/**
 * Keeping things running: one {@link dev.lattice.agent.supervision.Supervisor} (restart with
 * {@link dev.lattice.agent.supervision.Backoff}) for whatever can be started, watched for its exit
 * and stopped — a node's workloads (through the runtime) and, under {@code lattice up}, the agents
 * themselves ({@link dev.lattice.agent.supervision.ServiceProcess}).
 */
package dev.lattice.agent.supervision;
