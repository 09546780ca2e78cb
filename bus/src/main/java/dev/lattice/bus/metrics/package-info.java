/**
 * Every Lattice process's Prometheus metrics: one registry per process (JVM, Kafka clients and
 * whatever the service adds), served at {@code GET /metrics} and advertised on Kafka as a
 * {@link MetricsTarget} so the gateway can list it for Prometheus' HTTP service discovery.
 */
package dev.lattice.bus.metrics;
