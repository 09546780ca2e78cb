/** App instances: bindings and params checked, tokens made, the workload that runs each one. */
package dev.lattice.apps.instances;
