/**
 * Kafka plumbing shared by every service: connection settings, topic names, and the {@link dev.lattice.bus.Bus}
 * facade that hands out state views and owners, request/reply clients and servers, and heartbeats.
 */
package dev.lattice.bus;
