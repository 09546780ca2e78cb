/**
 * The auth service: users, password hashes and token signing keys. Other modules use only this
 * package: the command names and messages ({@link dev.lattice.auth.AuthCommands}) and the
 * {@link dev.lattice.auth.TokenVerifier} that checks tokens without asking auth.
 */
package dev.lattice.auth;
