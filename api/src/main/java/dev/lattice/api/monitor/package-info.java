/** What the monitor publishes: the platform health report (kind {@code health}). */
package dev.lattice.api.monitor;
