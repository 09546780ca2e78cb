/** Routes for logging in, users and the caller's own identity; auth does the work. */
package dev.lattice.gateway.users;
