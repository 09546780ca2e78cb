package dev.lattice.gateway.metrics;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * What the UI's Metrics page shows, read from the same {@code /metrics} a Prometheus scrapes: every
 * target of {@link MetricsRoutes} is scraped at once (each on a virtual thread, at most
 * {@link #TIMEOUT}) and a handful of series summed across them. Totals are counters since each
 * process started; the page turns two summaries into rates. Not a time-series store: an operator
 * who wants history points a Prometheus at {@code /api/v1/metrics/targets}.
 */
final class MetricsSummary {
    static final Duration TIMEOUT = Duration.ofSeconds(2);
    /**
     * How long one summary answers every viewer: the page asks every 2 s per open tab, and each
     * summary scrapes every process, so without it n viewers would cost every process n scrapes.
     */
    static final Duration FRESH_FOR = Duration.ofSeconds(1);

    /** The answer of {@code GET /api/v1/metrics/summary}. */
    record Summary(Instant at, int targets, List<String> unreachable, double readingsAccepted, double readingsRefused,
                   Map<String, Double> refusedByCause, double predictions, double predictionSeconds, double httpRequests,
                   Map<String, Double> workloads, double restarts, Map<String, Double> lag) {}

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private Summary last;

    /** The last summary if it is under {@link #FRESH_FOR} old, else a new one; viewers asking at once wait for one scrape. */
    synchronized Summary read(List<MetricsRoutes.Group> groups) {
        if (last == null || last.at().plus(FRESH_FOR).isBefore(Instant.now())) last = scrapeAll(groups);
        return last;
    }

    private Summary scrapeAll(List<MetricsRoutes.Group> groups) {
        List<Future<Scrape>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (MetricsRoutes.Group g : groups) {
                for (String target : g.targets()) futures.add(pool.submit(() -> scrape(target, g.labels().get("service"))));
            }
        } // closing waits for every scrape
        List<Scrape> scrapes = futures.stream().map(Future::resultNow).toList();
        Totals t = new Totals();
        List<String> unreachable = new ArrayList<>();
        for (Scrape s : scrapes) {
            if (s.text() == null) unreachable.add(s.service() + " " + s.target());
            else PrometheusText.samples(s.text(), (name, labels, value) -> t.add(s.service(), name, labels, value));
        }
        return new Summary(Instant.now(), scrapes.size(), unreachable, t.accepted, t.refused, t.refusedByCause, t.predictions,
                t.predictionSeconds, t.requests, t.workloads, t.restarts, t.lag);
    }

    private record Scrape(String target, String service, String text) {}

    private Scrape scrape(String target, String service) {
        try {
            var r = http.send(HttpRequest.newBuilder(URI.create("http://" + target + "/metrics")).timeout(TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Scrape(target, service, r.statusCode() == 200 ? r.body() : null);
        } catch (IOException | IllegalArgumentException e) {
            return new Scrape(target, service, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Scrape(target, service, null);
        }
    }

    /** The sums the page shows; series of the gateway's request timer for predict and infer are the predictions. */
    private static final class Totals {
        double accepted;
        double refused;
        final Map<String, Double> refusedByCause = new TreeMap<>();
        double predictions;
        double predictionSeconds;
        double requests;
        final Map<String, Double> workloads = new TreeMap<>();
        double restarts;
        final Map<String, Double> lag = new TreeMap<>();

        void add(String service, String name, Map<String, String> labels, double value) {
            if (name.equals("kafka_consumer_fetch_manager_records_lag_max")) {
                lag(service, value);
                return;
            }
            if (Double.isNaN(value)) return;
            switch (name) {
                case "lattice_readings_accepted_total" -> accepted += value;
                case "lattice_readings_refused_total" -> {
                    refused += value;
                    refusedByCause.merge(labels.getOrDefault("cause", "?"), value, Double::sum);
                }
                case "lattice_http_requests_seconds_count" -> {
                    requests += value;
                    if (isPrediction(labels.get("route"))) predictions += value;
                }
                case "lattice_http_requests_seconds_sum" -> {
                    if (isPrediction(labels.get("route"))) predictionSeconds += value;
                }
                case "lattice_workloads" -> workloads.merge(labels.getOrDefault("status", "?"), value, Double::sum);
                case "lattice_workload_restarts" -> restarts += value;
                default -> { }
            }
        }

        /**
         * A consumer's greatest lag over the last sample window; NaN (kept as null: "–" on the page) when
         * it fetched nothing in that window, which an idle consumer often has not: the process still has
         * its row, whichever of its consumers the moment of the scrape found busy.
         */
        private void lag(String service, double value) {
            Double known = lag.get(service);
            if (Double.isNaN(value)) {
                if (!lag.containsKey(service)) lag.put(service, null);
            } else {
                lag.put(service, known == null ? value : Math.max(known, value));
            }
        }

        private static boolean isPrediction(String route) {
            return route != null && (route.endsWith("/predict") || route.endsWith("/infer"));
        }
    }
}
