/** Simulated sensors: readings made up by the platform for instances that ask for them. */
package dev.lattice.sensors.simulate;
