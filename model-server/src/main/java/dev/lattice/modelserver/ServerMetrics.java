package dev.lattice.modelserver;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The model server's Prometheus metrics, every one tagged with the model and version:
 * <ul>
 *   <li>{@code lattice_model_requests_total{route, outcome}}: requests by route template and
 *       outcome ({@code success}, {@code client_error}, {@code server_error});</li>
 *   <li>{@code lattice_model_preprocess_seconds}, {@code lattice_model_inference_seconds},
 *       {@code lattice_model_postprocess_seconds}, each {@code {route="predict"|"infer"}}: the three
 *       stages of a request, with p50, p90 and p99 computed in the process.</li>
 * </ul>
 * Thread-safe (Micrometer meters are); counters are looked up once per route and outcome.
 */
final class ServerMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<String, Counter> requests = new ConcurrentHashMap<>();
    final Stages predict;
    final Stages infer;

    /** The timers of one kind of request. */
    record Stages(Timer preprocess, Timer inference, Timer postprocess) {
        /** Records the stages between four {@link System#nanoTime()} readings. */
        void record(long start, long preprocessed, long inferred, long end) {
            preprocess.record(preprocessed - start, TimeUnit.NANOSECONDS);
            inference.record(inferred - preprocessed, TimeUnit.NANOSECONDS);
            postprocess.record(end - inferred, TimeUnit.NANOSECONDS);
        }
    }

    ServerMetrics(String model, String version) {
        registry.config().commonTags("model", model, "version", version);
        predict = stages("predict");
        infer = stages("infer");
    }

    void request(String route, int status) {
        String outcome = status >= 500 ? "server_error" : status >= 400 ? "client_error" : "success";
        requests.computeIfAbsent(route + ' ' + outcome, key -> Counter.builder("lattice.model.requests")
                .description("HTTP requests by route and outcome")
                .tags("route", route, "outcome", outcome)
                .register(registry)).increment();
    }

    /** The Prometheus text exposition. */
    String scrape() {
        return registry.scrape();
    }

    private Stages stages(String route) {
        return new Stages(timer("lattice.model.preprocess", route, "request JSON to input tensors"),
                timer("lattice.model.inference", route, "the ONNX Runtime run"),
                timer("lattice.model.postprocess", route, "output tensors to the answer's bytes"));
    }

    private Timer timer(String name, String route, String description) {
        return Timer.builder(name).description(description).tags("route", route)
                .publishPercentiles(0.5, 0.9, 0.99)
                .register(registry);
    }
}
