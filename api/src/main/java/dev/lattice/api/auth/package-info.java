/**
 * What the auth service offers others: its command names and messages, the signing-key kind it
 * publishes, and the {@link dev.lattice.api.auth.TokenVerifier} that checks its tokens without
 * asking it (the gateway and the repository do, on every request).
 */
package dev.lattice.api.auth;
