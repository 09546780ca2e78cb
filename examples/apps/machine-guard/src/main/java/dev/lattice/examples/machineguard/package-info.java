/** An example Lattice app on the Java SDK: a machine sensor watched by the anomaly model, an alarm sounded on anomalies. */
package dev.lattice.examples.machineguard;
