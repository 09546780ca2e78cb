/**
 * The repository: a content-addressed artefact store (SHA-256) served over HTTP, with what other
 * modules use: {@link dev.lattice.repository.ArtefactClient} to fetch and upload, and
 * {@link dev.lattice.repository.Endpoints} to find the repository's advertised URL.
 */
package dev.lattice.repository;
