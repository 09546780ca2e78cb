/**
 * The sensors service (sensor-controller service): sensor and controller types and instances,
 * device tokens, readings and controller commands. Other modules use only this package: the
 * records, the command names, and the validation that the gateway also applies at the edge.
 */
package dev.lattice.sensors;
