package dev.lattice.bus.metrics;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import java.util.concurrent.Executors;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;

/**
 * One process's metrics: the JVM's (memory, GC, threads, CPU, uptime) and its Kafka clients'
 * (consumer lag as {@code kafka_consumer_fetch_manager_records_lag_max}, among others), plus what
 * its code registers. Served as Prometheus text at {@code GET /metrics} on the JDK's small HTTP
 * server: most services have no other HTTP, and one route does not need Javalin. Nothing secret is
 * in it, so it asks no credential (docs/SECURITY.md section 5). Thread-safe.
 */
public final class ProcessMetrics implements AutoCloseable {
    /**
     * Of a Kafka client's ~60 meters these are kept: what an operator watches (lag, throughput,
     * errors). The rest would be ~200 series per process, and many are named in ms and ns, which
     * Prometheus' naming rules ({@code promtool check metrics}) refuse.
     */
    private static final Set<String> KAFKA_KEPT = Set.of("kafka.consumer.fetch.manager.records.lag.max",
            "kafka.consumer.fetch.manager.records.lag", "kafka.consumer.fetch.manager.records.consumed.total",
            "kafka.producer.record.send.total", "kafka.producer.record.error.total", "kafka.producer.record.retry.total");
    /** Micrometer meters whose Prometheus names break its naming rules; each has a kept equivalent. */
    private static final Set<String> UNLINTED = Set.of("process.cpu.time", "system.cpu.count");

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Deque<AutoCloseable> closeables = new ArrayDeque<>();
    private HttpServer server;

    public ProcessMetrics() {
        registry.config()
                .meterFilter(MeterFilter.deny(id -> id.getName().startsWith("kafka.") ? !KAFKA_KEPT.contains(id.getName())
                        : UNLINTED.contains(id.getName())))
                // A client's version is learnt after its first meters: without this each would be two series, one stale.
                .meterFilter(MeterFilter.ignoreTags("kafka.version"));
        for (MeterBinder b : new MeterBinder[] {new ClassLoaderMetrics(), new JvmMemoryMetrics(), new JvmThreadMetrics(),
                new ProcessorMetrics(), new UptimeMetrics()}) {
            b.bindTo(registry);
        }
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        closeables.push(gc);
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** Adds a Kafka client's own metrics (lag, request rates, ...); unbound when this closes. */
    public synchronized void bind(Object kafkaClient) {
        KafkaClientMetrics m = kafkaClient instanceof Consumer<?, ?> c ? new KafkaClientMetrics(c)
                : kafkaClient instanceof Producer<?, ?> p ? new KafkaClientMetrics(p) : null;
        if (m == null) return;
        try {
            m.bindTo(registry);
        } catch (RuntimeException closedMeanwhile) {
            // a client bound late (metrics start beside the service) may be closed by then: nothing to measure
            m.close();
            return;
        }
        closeables.push(m);
    }

    public String scrape() {
        return registry.scrape();
    }

    /** Serves {@code /metrics} on {@code host:port} (0: a free port); returns the port. */
    public synchronized int serve(String host, int port) {
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve metrics on " + host + ":" + port, e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/metrics", exchange -> {
            boolean get = exchange.getRequestMethod().equals("GET");
            byte[] body = get ? scrape().getBytes(StandardCharsets.UTF_8) : new byte[0];
            exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.sendResponseHeaders(get ? 200 : 405, body.length == 0 ? -1 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        return server.getAddress().getPort();
    }

    @Override
    public synchronized void close() {
        if (server != null) server.stop(0);
        while (!closeables.isEmpty()) {
            try {
                closeables.pop().close();
            } catch (Exception ignored) {
                // closing: nothing left to tell
            }
        }
        registry.close();
    }
}
