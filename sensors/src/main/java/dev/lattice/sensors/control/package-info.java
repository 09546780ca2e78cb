/** Controller commands: checked, recorded, delivered to the device, and tracked to acknowledgement or failure. */
package dev.lattice.sensors.control;
