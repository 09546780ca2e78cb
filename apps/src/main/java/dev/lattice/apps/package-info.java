/** Applications as developers upload them: the config, what it binds to, and the checks made at upload. */
package dev.lattice.apps;
