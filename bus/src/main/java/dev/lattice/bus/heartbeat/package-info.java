/** Liveness reports: every service process says it is alive once a second; its supervisor says when it died. */
package dev.lattice.bus.heartbeat;
