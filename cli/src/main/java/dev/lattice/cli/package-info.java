/** The {@code lattice} command line: {@code up} starts the platform on this machine, {@code service} runs one platform service. */
package dev.lattice.cli;
