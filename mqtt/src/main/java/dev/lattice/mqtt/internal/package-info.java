/** The HiveMQ CE side of the broker: generated configuration, the embedded extension, delivery tracking. */
package dev.lattice.mqtt.internal;
