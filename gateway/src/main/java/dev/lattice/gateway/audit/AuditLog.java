package dev.lattice.gateway.audit;

import dev.lattice.bus.Bus;
import dev.lattice.bus.feed.StreamTopic;
import dev.lattice.bus.feed.Writer;
import dev.lattice.core.Json;
import dev.lattice.gateway.http.RecentRecords;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes audit entries to {@code lattice.audit} (one partition: one order for every gateway) and
 * follows it, keeping the newest {@code keep} in memory for {@code GET /api/v1/audit}; Kafka keeps
 * {@link #RETENTION}. Every gateway sees every gateway's entries. Writing never delays or fails a
 * request: an entry Kafka refuses is logged here instead. Thread-safe.
 */
public final class AuditLog implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AuditLog.class);
    public static final String TOPIC = "lattice.audit";
    public static final Duration RETENTION = Duration.ofDays(90);
    public static final StreamTopic STREAM = new StreamTopic(TOPIC, 1, RETENTION);

    private final Writer writer;
    private final RecentRecords<AuditEntry> newest;

    public AuditLog(Bus bus, int keep) {
        bus.ensure(STREAM);
        this.writer = bus.writer();
        this.newest = new RecentRecords<>(bus, TOPIC, AuditEntry.class, keep);
    }

    public void record(AuditEntry entry) {
        writer.fire(TOPIC, entry.user(), Json.bytes(entry),
                failed -> log.warn("audit entry not stored ({}): {}", failed.toString(), entry));
    }

    /** Newest first: entries of {@code user} (null: anyone) at or after {@code since} (null: any time), at most {@code limit}. */
    public List<AuditEntry> query(String user, Instant since, int limit) {
        return newest.newestFirst(e -> (since == null || !e.ts().isBefore(since)) && (user == null || user.equals(e.user())), limit);
    }

    @Override
    public void close() {
        newest.close();
    }
}
