/** A single-node Kafka broker (KRaft, broker and controller in one) run inside a Lattice process. */
package dev.lattice.bus.broker;
