package dev.lattice.api.sensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InstanceQueryTest {
    private static Device device(String id, String type, Location where, Map<String, Object> attrs) {
        return new Device(id, type, where, attrs, null, "h", Instant.EPOCH, "test");
    }

    private static final List<Device> ALL = List.of(
            device("berlin", "thermo", new Location("Berlin", 52.52, 13.405), Map.of("floor", 2)),
            device("potsdam", "thermo", new Location("Potsdam", 52.39, 13.06), Map.of("floor", 1)),
            device("munich", "hygro", new Location("Munich", 48.137, 11.575), Map.of()),
            device("nowhere", "thermo", new Location("Lab", null, null), Map.of("floor", 2)));

    private static List<String> run(Map<String, String> params) {
        Map<String, List<String>> all = new HashMap<>();
        params.forEach((k, v) -> all.put(k, List.of(v)));
        return InstanceQuery.parse(params::get, all).apply(ALL.stream()).stream().map(Device::id).toList();
    }

    @Test
    void filtersByTypeLabelAndAttributes() {
        assertThat(run(Map.of("type", "thermo"))).containsExactly("berlin", "nowhere", "potsdam");
        assertThat(run(Map.of("location", "lab"))).containsExactly("nowhere");
        assertThat(run(Map.of("attr.floor", "2", "type", "thermo"))).containsExactly("berlin", "nowhere");
    }

    @Test
    void sortsByGreatCircleDistanceAndCutsAtTheRadius() {
        assertThat(run(Map.of("near", "52.40,13.07"))).containsExactly("potsdam", "berlin", "munich");
        assertThat(run(Map.of("near", "52.40,13.07", "withinKm", "30"))).containsExactly("potsdam", "berlin");
        // Berlin-Munich is about 504 km as the crow flies.
        assertThat(Location.distanceKm(52.52, 13.405, 48.137, 11.575)).isBetween(500.0, 508.0);
    }

    @Test
    void rejectsMalformedFilters() {
        assertThatThrownBy(() -> run(Map.of("near", "north"))).hasMessageStartingWith("near:");
        assertThatThrownBy(() -> run(Map.of("near", "95,0"))).hasMessageStartingWith("near:");
        assertThatThrownBy(() -> run(Map.of("withinKm", "5"))).hasMessageStartingWith("withinKm:");
    }
}
