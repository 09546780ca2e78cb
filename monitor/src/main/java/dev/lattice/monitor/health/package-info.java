/** Liveness bookkeeping: which instance of which service reported what, and when. */
package dev.lattice.monitor.health;
