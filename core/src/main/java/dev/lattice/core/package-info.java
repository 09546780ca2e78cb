/** Shared vocabulary of every Lattice module: roles, principals, names, JSON and the one error type. */
package dev.lattice.core;
