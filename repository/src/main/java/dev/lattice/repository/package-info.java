/**
 * The repository: a content-addressed artefact store (SHA-256) served over HTTP. What others use of
 * it (the client, endpoints, commands) is in {@code dev.lattice.api.repository}.
 */
package dev.lattice.repository;
