/** The monitor: turns heartbeats into the platform's health report. Others use {@link dev.lattice.monitor.HealthReport}. */
package dev.lattice.monitor;
