/** An MQTT broker embedded in a Lattice service: devices authenticate by instance id and token and may use only their own topics. */
package dev.lattice.mqtt;
