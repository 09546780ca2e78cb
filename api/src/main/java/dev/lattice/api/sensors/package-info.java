/**
 * What the sensors service shares: sensor and controller types and instances, device tokens
 * ({@code ltd_}), readings and their topic, controller commands, the command names, and the
 * validation that the gateway also applies at the edge (one rule, two entry points).
 */
package dev.lattice.api.sensors;
