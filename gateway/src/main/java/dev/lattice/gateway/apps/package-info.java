/** Applications: upload, catalog, end users' instances, their logs and outputs, and app instance tokens. */
package dev.lattice.gateway.apps;
