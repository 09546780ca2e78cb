/**
 * What the repository offers others: the {@link dev.lattice.api.repository.ArtefactClient} to
 * fetch and upload, the advertised {@link dev.lattice.api.repository.Endpoint}s and how to follow
 * them, and the promote/discard commands for staged uploads.
 */
package dev.lattice.api.repository;
