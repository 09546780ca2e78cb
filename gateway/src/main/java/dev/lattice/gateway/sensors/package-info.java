/** Routes for sensor and controller types and instances, readings (in, back and live) and controller commands. */
package dev.lattice.gateway.sensors;
