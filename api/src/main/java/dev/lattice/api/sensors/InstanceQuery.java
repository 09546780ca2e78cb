package dev.lattice.api.sensors;

import dev.lattice.core.LatticeException;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The filters of {@code GET /api/v1/sensor-instances} (and controllers): {@code type},
 * {@code location} (label, case-insensitive), {@code near=LAT,LON} with optional
 * {@code withinKm} (nearest first), and {@code attr.KEY=VALUE}.
 */
public record InstanceQuery(String type, String location, Double nearLat, Double nearLon, Double withinKm,
                            Map<String, String> attributes) {

    public InstanceQuery {
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
        if (withinKm != null && nearLat == null) {
            throw LatticeException.badRequest("sensors:query.within", "withinKm: needs near=LAT,LON");
        }
        if (withinKm != null && (withinKm < 0 || withinKm.isNaN())) {
            throw LatticeException.badRequest("sensors:query.within", "withinKm: must not be negative");
        }
    }

    /** Builds a query from URL parameters (first value of each). */
    public static InstanceQuery parse(Function<String, String> param, Map<String, List<String>> all) {
        Double lat = null;
        Double lon = null;
        String near = param.apply("near");
        if (near != null && !near.isBlank()) {
            String[] parts = near.split(",");
            try {
                if (parts.length != 2) throw new NumberFormatException();
                lat = Double.parseDouble(parts[0].trim());
                lon = Double.parseDouble(parts[1].trim());
                new Location("near", lat, lon); // range check
            } catch (NumberFormatException e) {
                throw LatticeException.badRequest("sensors:query.near", "near: '" + near + "' is not LAT,LON");
            } catch (LatticeException e) {
                throw LatticeException.badRequest("sensors:query.near", "near: " + e.getMessage());
            }
        }
        Double within = null;
        String w = param.apply("withinKm");
        if (w != null && !w.isBlank()) {
            try {
                within = Double.parseDouble(w);
            } catch (NumberFormatException e) {
                throw LatticeException.badRequest("sensors:query.within", "withinKm: '" + w + "' is not a number");
            }
        }
        Map<String, String> attrs = new HashMap<>();
        all.forEach((k, v) -> {
            if (k.startsWith("attr.") && k.length() > 5 && !v.isEmpty()) attrs.put(k.substring(5), v.get(0));
        });
        return new InstanceQuery(blankToNull(param.apply("type")), blankToNull(param.apply("location")), lat, lon, within, attrs);
    }

    public List<Device> apply(Stream<Device> devices) {
        Stream<Device> s = devices
                .filter(d -> type == null || d.type().equals(type))
                .filter(d -> location == null || d.location().label().equalsIgnoreCase(location))
                .filter(d -> attributes.entrySet().stream().allMatch(a -> {
                    Object v = d.attributes().get(a.getKey());
                    return v != null && Objects.toString(v).equals(a.getValue());
                }));
        if (nearLat == null) return s.sorted(Comparator.comparing(Device::id)).toList();
        return s.filter(d -> d.location().hasCoordinates())
                .map(d -> Map.entry(d, Location.distanceKm(nearLat, nearLon, d.location().lat(), d.location().lon())))
                .filter(e -> withinKm == null || e.getValue() <= withinKm)
                .sorted(Map.Entry.comparingByValue())
                .map(Map.Entry::getKey)
                .toList();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
