package dev.lattice.examples.machineguard;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lattice.sdk.Lattice;
import dev.lattice.sdk.LatticeApiException;
import dev.lattice.sdk.Reading;
import dev.lattice.sdk.Subscription;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The machine guard, an example Lattice app: it follows the readings of the sensor bound to
 * {@code machine}, asks the {@code anomaly} model about each one, turns the controller bound to
 * {@code alarm} on when the label becomes {@code anomaly} and off when it is {@code normal} again,
 * and reports every reading with its label, score and the alarm's state as an output.
 *
 * <p>Start-up: read the env contract ({@link Lattice#fromEnv()}), find the two bindings and the
 * {@code quiet} param (true: never command the alarm), subscribe to the machine's readings, then
 * wait until the platform stops the instance (SIGTERM), which closes the subscription.
 *
 * <p>The first reading sets the alarm either way, so an alarm left on by an earlier run of the
 * instance is turned off. A failed prediction skips the reading; a failed command leaves the state
 * as it was, so the next reading tries again. Each reading is one line on standard output (the
 * instance's log); failures go to standard error.
 *
 * <p>{@link #onReading} is called by one subscription, one reading at a time, so the alarm state
 * needs no lock; it is not thread-safe otherwise.
 */
public final class MachineGuard {
    static final String MODEL = "anomaly";
    static final List<String> FEATURES = List.of("temperature", "vibration", "current");

    private final Lattice lattice;
    private final String alarm;
    private final boolean quiet;
    /** The state this app last set the alarm to; null until it has set it once. */
    private Boolean alarmOn;

    MachineGuard(Lattice lattice, String alarm, boolean quiet) {
        this.lattice = lattice;
        this.alarm = alarm;
        this.quiet = quiet;
    }

    public static void main(String[] args) throws InterruptedException {
        Lattice lattice = Lattice.fromEnv();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            lattice.close();
            stopped.countDown();
        }, "machine-guard-stop"));
        Subscription subscription = start(lattice);
        System.out.println("machine-guard " + lattice.instanceId() + ": watching " + subscription.sensorId()
                + (lattice.paramBoolean("quiet", false) ? " (quiet: the alarm is never commanded)" : ", alarm " + lattice.controller("alarm")));
        stopped.await();
    }

    /** Subscribes a guard to the machine's readings, with the bindings and params of {@code lattice}. */
    static Subscription start(Lattice lattice) {
        String machine = lattice.sensor("machine");
        MachineGuard guard = new MachineGuard(lattice, lattice.controller("alarm"), lattice.paramBoolean("quiet", false));
        return lattice.subscribe(machine, guard::onReading);
    }

    /** Handles one reading: predict, command the alarm if the label changed its state, report. */
    void onReading(Reading reading) {
        Map<String, Object> request = new LinkedHashMap<>();
        // Only the fields the reading has: the model's contract fills in a missing current itself.
        for (String field : FEATURES) if (reading.value(field) != null) request.put(field, reading.value(field));
        JsonNode answer;
        try {
            answer = lattice.predict(MODEL, request);
        } catch (LatticeApiException | UncheckedIOException e) {
            System.err.println(reading.ts() + " " + reading.sensorId() + ": no prediction, reading skipped: " + e.getMessage());
            return;
        }
        String label = answer.path("label").asText("");
        JsonNode score = answer.get("score");
        boolean anomaly = label.equals("anomaly");
        if (!quiet && (alarmOn == null || alarmOn != anomaly)) setAlarm(anomaly);

        Map<String, Object> output = new LinkedHashMap<>();
        Map<String, Object> asListed = new LinkedHashMap<>();
        asListed.put("ts", reading.ts());
        asListed.put("values", reading.values());
        output.put("reading", asListed);
        output.put("label", label);
        output.put("score", score == null || !score.isNumber() ? null : score.doubleValue());
        output.put("alarm", Boolean.TRUE.equals(alarmOn));
        System.out.println(reading.ts() + " " + reading.sensorId() + " " + request + " -> " + label
                + (score == null ? "" : " (score " + score.asText() + ")") + ", alarm " + (Boolean.TRUE.equals(alarmOn) ? "on" : "off"));
        try {
            lattice.emit(output);
        } catch (LatticeApiException | UncheckedIOException e) {
            System.err.println(reading.ts() + " " + reading.sensorId() + ": output not recorded: " + e.getMessage());
        }
    }

    private void setAlarm(boolean on) {
        try {
            String id = lattice.command(alarm, "set", Map.of("on", on));
            alarmOn = on;
            System.out.println("alarm " + alarm + " set " + (on ? "on" : "off") + " (command " + id + ")");
        } catch (LatticeApiException | UncheckedIOException e) {
            System.err.println("alarm " + alarm + " not set " + (on ? "on" : "off") + ", will try again: " + e.getMessage());
        }
    }
}
