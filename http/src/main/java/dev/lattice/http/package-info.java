/** What every Lattice HTTP server shares: failures Jetty answers itself rendered as problem+json. */
package dev.lattice.http;
