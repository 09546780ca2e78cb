/** The platform's Prometheus side as the gateway sees it: HTTP request metrics, and the scrape targets of every process. */
package dev.lattice.gateway.metrics;
