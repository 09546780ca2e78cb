package dev.lattice.gateway.models;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lattice.api.models.ModelBinding;
import dev.lattice.api.models.Prediction;
import dev.lattice.api.sensors.Reading;
import dev.lattice.bus.Bus;
import dev.lattice.bus.feed.BusRecord;
import dev.lattice.bus.feed.Follower;
import dev.lattice.bus.feed.Writer;
import dev.lattice.bus.state.StateView;
import dev.lattice.bus.state.Versioned;
import dev.lattice.core.Json;
import dev.lattice.core.LatticeException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Models bound to sensor streams (API.md {@code POST /api/v1/models/{name}/bindings}): every new
 * reading of a bound sensor is sent to the model, like a predict call (the canary's share
 * included), and its answer is written to {@value Prediction#TOPIC}, keyed by the sensor. The
 * gateways share the readings in consumer group {@value #GROUP}, so each reading is predicted
 * once, by one of them, in order per sensor. A reading the model refuses or cannot answer is
 * counted and skipped: predictions follow the stream, they do not hold it up.
 */
public final class StreamPredictor {
    public static final String GROUP = "lattice.predictor";
    private static final Logger log = LoggerFactory.getLogger(StreamPredictor.class);

    private final StateView<ModelBinding> bindings;
    private final InferenceRoutes inference;
    private final Writer writer;
    private final AtomicLong predicted = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    /** Sensor → the models bound to it: rebuilt when a binding changes, read for every reading. */
    private volatile java.util.Map<String, List<String>> bound = java.util.Map.of();

    private StreamPredictor(StateView<ModelBinding> bindings, InferenceRoutes inference, Writer writer) {
        this.bindings = bindings;
        this.inference = inference;
        this.writer = writer;
        bindings.onChange(change -> index());
        index();
    }

    private synchronized void index() {
        java.util.Map<String, List<String>> next = new java.util.HashMap<>();
        for (Versioned<ModelBinding> b : bindings.list())
            for (String sensor : b.value().sensors()) next.computeIfAbsent(sensor, s -> new java.util.ArrayList<>()).add(b.value().model());
        bound = java.util.Map.copyOf(next);
    }

    /** Starts predicting; the bindings' view and the follower close with the bus. */
    public static StreamPredictor start(Bus bus, InferenceRoutes inference, Duration catchUp) {
        StateView<ModelBinding> bindings = bus.view(ModelBinding.KIND, ModelBinding.class);
        bindings.awaitCaughtUp(catchUp);
        StreamPredictor p = new StreamPredictor(bindings, inference, bus.writer());
        bus.share(Reading.TOPIC, GROUP, Duration.ofMillis(500), new Follower.Listener() {
            @Override
            public void record(BusRecord r) {
                p.reading(r.key(), r.value());
            }
        });
        return p;
    }

    /** The models bound to {@code sensor}. */
    List<String> modelsOf(String sensor) {
        return bound.getOrDefault(sensor, List.of());
    }

    void reading(String sensor, byte[] json) {
        if (sensor == null) return;
        List<String> models = modelsOf(sensor);
        if (models.isEmpty()) return;
        Reading reading;
        try {
            reading = Json.read(json, Reading.class);
        } catch (RuntimeException e) {
            return; // not a reading: nothing to predict
        }
        byte[] request = Json.bytes(reading.values());
        for (String model : models) {
            try {
                InferenceRoutes.Answered a = inference.call(model, "/predict", request, null);
                if (a.status() != 200) throw new IOException("answered " + a.status() + ": " + new String(a.body(), StandardCharsets.UTF_8));
                JsonNode output = Json.MAPPER.readTree(a.body());
                Prediction p = new Prediction(sensor, reading.ts(), model, a.version(), reading.values(), output);
                writer.send(Prediction.TOPIC, sensor, Json.bytes(p));
                predicted.incrementAndGet();
            } catch (IOException | LatticeException e) {
                long n = failed.incrementAndGet();
                // One line per hundred: a model down for a while must not flood the log with every reading.
                if (n % 100 == 1) log.warn("model {} could not predict a reading of {} ({} so far): {}", model, sensor, n, e.getMessage());
            }
        }
    }
}
