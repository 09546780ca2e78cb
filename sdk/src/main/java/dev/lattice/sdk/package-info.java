/**
 * The Java SDK of Lattice applications: {@link dev.lattice.sdk.Lattice} reads the env contract of a
 * running app and wraps the gateway routes its token may use.
 */
package dev.lattice.sdk;
