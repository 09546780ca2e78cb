/** The monitor: turns heartbeats into the platform's health report ({@code dev.lattice.api.monitor.HealthReport}). */
package dev.lattice.monitor;
