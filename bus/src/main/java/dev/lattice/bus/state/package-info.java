/** Desired state on Kafka: compacted topics per kind, read-only views rebuilt from the log, and version-checked writes by the kind's owner. */
package dev.lattice.bus.state;
