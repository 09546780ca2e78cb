/**
 * What the scheduler shares: an instance's {@link dev.lattice.api.scheduler.Schedule} (which the apps
 * service checks at upload) and the {@code instance-schedule} kind it publishes for the gateway.
 */
package dev.lattice.api.scheduler;
