/** Devices over MQTT: authentication by device token, readings into Kafka, acks and command delivery. */
package dev.lattice.sensors.ingest;
