/** Artefacts through the public API: uploads and downloads streamed to and from the repository service. */
package dev.lattice.gateway.artefacts;
