/** Users: the stored record with its Argon2id hash, and the commands that create, list and log in users. */
package dev.lattice.auth.users;
