/** The node agent: runs the workloads of its node and keeps them running. For now it supervises the platform's own services as local processes. */
package dev.lattice.agent;
