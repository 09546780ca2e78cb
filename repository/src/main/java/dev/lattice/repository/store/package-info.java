/** Where artefact bytes live: the {@link dev.lattice.repository.store.ArtefactStore} seam and its local-disk implementation. */
package dev.lattice.repository.store;
