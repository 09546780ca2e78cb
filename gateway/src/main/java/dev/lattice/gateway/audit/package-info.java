/** The audit log: every request that changes state, refused ones included, kept in {@code lattice.audit}. */
package dev.lattice.gateway.audit;
