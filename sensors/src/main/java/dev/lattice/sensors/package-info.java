/**
 * The sensors service (sensor-controller service): keeps sensor and controller types and
 * instances, takes readings over MQTT, runs simulators and delivers controller commands. Its
 * records, command names and validation are in {@code dev.lattice.api.sensors}.
 */
package dev.lattice.sensors;
