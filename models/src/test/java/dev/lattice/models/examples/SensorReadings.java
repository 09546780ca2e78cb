package dev.lattice.models.examples;

import java.util.Arrays;
import java.util.Random;

/**
 * A seeded synthetic data set of machine readings (temperature °C, vibration mm/s, current A),
 * most of them normal and some anomalous: hotter, shaking harder and drawing more current.
 *
 * <p>{@link Random} is used because its algorithm is specified (its Gaussian uses
 * {@link StrictMath}), so a seed gives the same readings on every JVM. Immutable.
 *
 * @param rows {@code [temperature, vibration, current]} per reading
 * @param anomalous whether each reading is anomalous
 */
record SensorReadings(double[][] rows, boolean[] anomalous) {
    /** Fields, in the order of the columns. */
    static final String[] FIELDS = {"temperature", "vibration", "current"};

    private static final double[] NORMAL_MEAN = {60, 2.0, 10};
    private static final double[] NORMAL_SPREAD = {4, 0.6, 0.8};
    private static final double[] ANOMALY_MEAN = {76, 5.0, 13};
    private static final double[] ANOMALY_SPREAD = {7, 1.8, 1.8};

    SensorReadings {
        rows = deepCopy(rows);
        anomalous = anomalous.clone();
    }

    /** {@code normal} normal readings followed by {@code anomalies} anomalous ones. */
    static SensorReadings generate(long seed, int normal, int anomalies) {
        Random random = new Random(seed);
        double[][] rows = new double[normal + anomalies][];
        boolean[] anomalous = new boolean[rows.length];
        for (int i = 0; i < rows.length; i++) {
            anomalous[i] = i >= normal;
            rows[i] = anomalous[i] ? reading(random, ANOMALY_MEAN, ANOMALY_SPREAD)
                    : reading(random, NORMAL_MEAN, NORMAL_SPREAD);
        }
        return new SensorReadings(rows, anomalous);
    }

    private static double[] reading(Random random, double[] mean, double[] spread) {
        double[] reading = new double[mean.length];
        for (int j = 0; j < mean.length; j++) {
            reading[j] = mean[j] + spread[j] * random.nextGaussian();
        }
        return reading;
    }

    @Override
    public double[][] rows() {
        return deepCopy(rows);
    }

    @Override
    public boolean[] anomalous() {
        return anomalous.clone();
    }

    private static double[][] deepCopy(double[][] rows) {
        return Arrays.stream(rows).map(double[]::clone).toArray(double[][]::new);
    }
}
