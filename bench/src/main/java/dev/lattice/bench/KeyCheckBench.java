package dev.lattice.bench;

import dev.lattice.http.ServiceKey;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.Set;

/**
 * What the serve-key check costs a request, A/B in one run: two servers built as the model server
 * is ({@link dev.lattice.http.ServerDefaults}, virtual threads, no compression), the same fixed
 * answer on {@code POST /predict}, one with the check ({@link ServiceKey#guard}) and one without;
 * one HTTP/1.1 client sends both the same request with the key, in alternating blocks so that
 * drift in the machine's load falls on both. Prints p50 and mean per side, their difference, and
 * the cost of the comparison alone in a loop.
 *
 * <p>Usage: {@code java -cp 'bench/target/lib/*:bench/target/lattice-bench-0.1.0-SNAPSHOT.jar'
 * dev.lattice.bench.KeyCheckBench [ROUNDS] [PER_ROUND]} (default 20 rounds of 1000 requests a side).
 */
public final class KeyCheckBench {
    private static final byte[] ANSWER = "{\"label\":\"setosa\",\"probabilities\":{\"setosa\":0.97,\"versicolor\":0.02,\"virginica\":0.01}}"
            .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    private static final byte[] BODY = "{\"sepal_length\":5.1,\"sepal_width\":3.5,\"petal_length\":1.4,\"petal_width\":0.2}"
            .getBytes(java.nio.charset.StandardCharsets.UTF_8);

    private KeyCheckBench() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int perRound = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        String key = ServiceKey.generate();
        Javalin checked = server(key);
        Javalin open = server(null);
        try {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            HttpRequest a = request(checked.port(), key);
            HttpRequest b = request(open.port(), key);
            for (int i = 0; i < 3000; i++) { // warm-up: JIT, connection pools
                send(client, a);
                send(client, b);
            }
            long[] withCheck = new long[rounds * perRound];
            long[] without = new long[rounds * perRound];
            for (int r = 0; r < rounds; r++) {
                boolean checkedFirst = r % 2 == 0;
                for (int side = 0; side < 2; side++) {
                    boolean isChecked = (side == 0) == checkedFirst;
                    long[] into = isChecked ? withCheck : without;
                    HttpRequest req = isChecked ? a : b;
                    for (int i = 0; i < perRound; i++) {
                        long t = System.nanoTime();
                        send(client, req);
                        into[r * perRound + i] = System.nanoTime() - t;
                    }
                }
            }
            System.out.printf("requests per side: %d (%d rounds of %d, alternating)%n", withCheck.length, rounds, perRound);
            System.out.printf("with the check:    p50 %6.1f us, mean %6.1f us%n", p50(withCheck) / 1e3, mean(withCheck) / 1e3);
            System.out.printf("without:           p50 %6.1f us, mean %6.1f us%n", p50(without) / 1e3, mean(without) / 1e3);
            System.out.printf("difference:        p50 %+6.1f us, mean %+6.1f us%n", (p50(withCheck) - p50(without)) / 1e3,
                    (mean(withCheck) - mean(without)) / 1e3);
            System.out.printf("comparison alone:  %.0f ns per matches()%n", comparisonNanos(key));
        } finally {
            checked.stop();
            open.stop();
        }
    }

    private static Javalin server(String key) {
        Javalin app = Javalin.create(cfg -> {
            dev.lattice.http.ServerDefaults.apply(cfg, "the bench");
            cfg.http.disableCompression();
        });
        if (key != null) app.before(ServiceKey.of(key).guard("Authorization", Set.of("/metrics")));
        app.post("/predict", ctx -> ctx.contentType("application/json").result(ANSWER));
        return app.start("127.0.0.1", 0);
    }

    private static HttpRequest request(int port, String key) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/predict"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.ofByteArray(BODY)).build();
    }

    private static void send(HttpClient client, HttpRequest request) throws Exception {
        HttpResponse<byte[]> r = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) throw new IllegalStateException("answered " + r.statusCode());
    }

    private static double comparisonNanos(String key) {
        ServiceKey check = ServiceKey.of(key);
        int n = 2_000_000;
        boolean all = true;
        for (int i = 0; i < n; i++) all &= check.matches(key); // warm-up
        long t = System.nanoTime();
        for (int i = 0; i < n; i++) all &= check.matches(key);
        long spent = System.nanoTime() - t;
        if (!all) throw new IllegalStateException("the key did not match itself");
        return (double) spent / n;
    }

    private static double p50(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static double mean(long[] values) {
        return Arrays.stream(values).average().orElse(0);
    }
}
