/**
 * The shared model of running things: {@link dev.lattice.workloads.Node nodes} (node manager),
 * {@link dev.lattice.workloads.Deployment deployments} and {@link dev.lattice.workloads.Workload
 * workloads} (deployer), {@link dev.lattice.workloads.NodeReport node reports} (agents) and
 * {@link dev.lattice.workloads.Events events} (everyone), with the commands that change them.
 */
package dev.lattice.workloads;
