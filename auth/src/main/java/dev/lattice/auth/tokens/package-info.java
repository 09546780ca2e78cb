/** Token signing: an ES256 key pair per auth instance, its public half published for verifiers. */
package dev.lattice.auth.tokens;
