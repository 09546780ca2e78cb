package dev.lattice.bus.feed;

/**
 * One record of a followed topic, as services see it: no Kafka type leaves the bus.
 *
 * @param offset    its place in its partition
 * @param timestamp when Kafka stored it (epoch milliseconds)
 */
public record BusRecord(String topic, int partition, long offset, long timestamp, String key, byte[] value) {}
