/** {@code /api/v1/webhooks}: the admin's webhooks (kept and sent by the monitor) and their deliveries. */
package dev.lattice.gateway.webhooks;
