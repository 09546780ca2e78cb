/** The apps service: uploads of apps and their checks, and app instances. Its records (the config included) are in {@code dev.lattice.api.apps}. */
package dev.lattice.apps;
