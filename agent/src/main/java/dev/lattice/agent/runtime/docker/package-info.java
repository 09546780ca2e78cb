/** The docker runtime: workloads as containers of a Docker engine, command workloads inside a locally built Lattice runtime image. */
package dev.lattice.agent.runtime.docker;
