/** API keys: made, listed and deleted here; checked by the gateway against its view of them. */
package dev.lattice.auth.keys;
