/** The repository's own small HTTP server: artefacts in (with a token) and out (by hash), errors as problem+json. */
package dev.lattice.repository.http;
