/** The process runtime: child processes supervised with exponential back-off. */
package dev.lattice.agent.process;
