/**
 * The auth service: users, password hashes and token signing keys. What others use of it (command
 * names, messages, the token verifier) is in {@code dev.lattice.api.auth}.
 */
package dev.lattice.auth;
