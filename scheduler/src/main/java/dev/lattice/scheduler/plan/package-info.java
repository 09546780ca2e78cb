/** When an app instance's scheduled runs start and stop: pure decisions from a schedule, its saved state and the time now. */
package dev.lattice.scheduler.plan;
