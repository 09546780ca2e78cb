/** Request/reply over Kafka: commands to a service's request topic, answers to the caller's reply topic, matched by correlation id, bounded by a deadline. */
package dev.lattice.bus.rpc;
