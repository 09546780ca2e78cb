/**
 * Confining a user's workload on the process runtime (DESIGN "Trust boundaries"): bubblewrap for
 * the namespaces and the file system view, setpriv for an unprivileged uid without capabilities,
 * cgroups (v1 or v2) for memory, CPU and process limits, and a pool of uids so that no two
 * running workloads share one.
 */
package dev.lattice.agent.runtime.sandbox;
