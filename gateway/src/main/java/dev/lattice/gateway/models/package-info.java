/** Models through the gateway: upload, versions and deployments, and the inference proxy to ready replicas. */
package dev.lattice.gateway.models;
