/** Sensor and controller types and instances: their owners and the commands that create and delete them. */
package dev.lattice.sensors.catalog;
