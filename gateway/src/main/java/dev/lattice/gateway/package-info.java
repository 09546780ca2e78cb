/** The gateway (request manager): the only public HTTP entry, with the REST API, token checks, role checks and the web UI. */
package dev.lattice.gateway;
