package dev.lattice.api.sensors;

import dev.lattice.core.LatticeException;
import dev.lattice.core.Names;

/** Where an instance is: a label people use, and optionally coordinates (WGS 84 degrees). */
public record Location(String label, Double lat, Double lon) {
    private static final double EARTH_RADIUS_KM = 6371.0088;

    public Location {
        Names.requirePresent("location.label", label);
        if (label.length() > 200) throw LatticeException.badRequest("sensors:location.label", "location.label: at most 200 characters");
        if ((lat == null) != (lon == null)) {
            throw LatticeException.badRequest("sensors:location.coordinates", "location: give both lat and lon, or neither");
        }
        if (lat != null && (lat < -90 || lat > 90 || lat.isNaN())) {
            throw LatticeException.badRequest("sensors:location.lat", "location.lat: must be between -90 and 90");
        }
        if (lon != null && (lon < -180 || lon > 180 || lon.isNaN())) {
            throw LatticeException.badRequest("sensors:location.lon", "location.lon: must be between -180 and 180");
        }
    }

    public boolean hasCoordinates() {
        return lat != null;
    }

    /** Great-circle distance in km (haversine). */
    public static double distanceKm(double lat1, double lon1, double lat2, double lon2) {
        double dLat = Math.toRadians(lat2 - lat1);
        double dLon = Math.toRadians(lon2 - lon1);
        double a = Math.pow(Math.sin(dLat / 2), 2)
                + Math.cos(Math.toRadians(lat1)) * Math.cos(Math.toRadians(lat2)) * Math.pow(Math.sin(dLon / 2), 2);
        return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
    }
}
