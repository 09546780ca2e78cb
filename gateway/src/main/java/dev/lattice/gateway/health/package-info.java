/** The public health route, answered from the monitor's latest report. */
package dev.lattice.gateway.health;
