/**
 * What the apps service shares: app configs as uploaded, versions, instances (and their token
 * prefix {@code lta_}), outputs and the command names. The scheduler and the sensors service read
 * {@code app-instance} through {@link dev.lattice.api.apps.AppInstance}, not a copy of their own.
 */
package dev.lattice.api.apps;
