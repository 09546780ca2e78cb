/**
 * Webhooks: admins register a URL for kinds of platform event; the monitor POSTs each matching
 * event there, signed with HMAC-SHA256, and retries with back-off for 24 h. Webhooks and their
 * deliveries are kinds the monitor owns, so a restarted monitor goes on where it stopped.
 */
package dev.lattice.monitor.webhooks;
