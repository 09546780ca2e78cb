/**
 * The CLI's client side: {@code lattice login} and {@code lattice NOUN VERB} for every {@code /api/v1}
 * route, over the same public HTTP API as the UI. Nothing here talks to Kafka.
 */
package dev.lattice.cli.client;
