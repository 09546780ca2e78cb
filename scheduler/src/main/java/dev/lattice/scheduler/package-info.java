/** The scheduler service: starts and stops scheduled app instances' runs through the deployer, durably. */
package dev.lattice.scheduler;
