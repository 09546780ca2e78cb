package dev.lattice.workloads;

import java.time.Instant;

/** A platform event (API.md {@code /api/v1/events}): deployed, placed, failed, restarted, node lost, ... */
public record Event(Instant ts, String kind, String subject, String message) {}
