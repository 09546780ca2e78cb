package dev.lattice.gateway.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrometheusTextTest {
    record S(String name, Map<String, String> labels, double value) {}

    private static List<S> read(String text) {
        List<S> out = new ArrayList<>();
        PrometheusText.samples(text, (n, l, v) -> out.add(new S(n, l, v)));
        return out;
    }

    @Test
    void readsNamesLabelsAndValuesAndSkipsHelpAndType() {
        List<S> s = read("""
                # HELP lattice_readings_accepted_total readings
                # TYPE lattice_readings_accepted_total counter
                lattice_readings_accepted_total{transport="http"} 12.0
                process_uptime_seconds 3.5 1700000000000
                lattice_http_requests_seconds_count{method="POST",route="/api/v1/models/{name}/predict",status="200",} 7
                kafka_consumer_fetch_manager_records_lag_max{client_id="a",topic="t"} NaN
                weird{msg="say \\"hi\\", a\\\\b\\nc"} +Inf
                """);
        assertThat(s).containsExactly(
                new S("lattice_readings_accepted_total", Map.of("transport", "http"), 12.0),
                new S("process_uptime_seconds", Map.of(), 3.5),
                new S("lattice_http_requests_seconds_count", Map.of("method", "POST", "route", "/api/v1/models/{name}/predict", "status", "200"), 7),
                new S("kafka_consumer_fetch_manager_records_lag_max", Map.of("client_id", "a", "topic", "t"), Double.NaN),
                new S("weird", Map.of("msg", "say \"hi\", a\\b\nc"), Double.POSITIVE_INFINITY));
    }

    @Test
    void skipsMalformedLinesWithoutThrowing() {
        assertThat(read("no_value\nbroken{a=\"x 1\nok 1\n")).containsExactly(new S("ok", Map.of(), 1));
    }
}
