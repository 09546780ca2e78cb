/** Uploaded app archives: jars checked, zip and tar.gz bundles unpacked without letting them reach outside their folder. */
package dev.lattice.workloads.bundle;
