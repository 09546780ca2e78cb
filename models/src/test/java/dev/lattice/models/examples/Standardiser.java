package dev.lattice.models.examples;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Per-column mean and standard deviation, rounded to a few decimals before use, so that the
 * numbers a contract's {@code scale} section shows are exactly the ones training used.
 *
 * <p>Standardising lives in the contract, not in the model, so that a request carries readings
 * in their own units and gradient descent sees columns of similar size. The standard deviation
 * is the population one (divided by n). Immutable.
 */
record Standardiser(double[] means, double[] stds) {
    Standardiser {
        means = means.clone();
        stds = stds.clone();
    }

    /** Fits the columns of {@code rows}, rounding each mean and deviation to {@code decimals}. */
    static Standardiser fit(double[][] rows, int decimals) {
        int width = rows[0].length;
        double[] means = new double[width];
        double[] stds = new double[width];
        for (int column = 0; column < width; column++) {
            double sum = 0;
            for (double[] row : rows) {
                sum += row[column];
            }
            double mean = sum / rows.length;
            double squares = 0;
            for (double[] row : rows) {
                squares += (row[column] - mean) * (row[column] - mean);
            }
            means[column] = round(mean, decimals);
            stds[column] = round(StrictMath.sqrt(squares / rows.length), decimals);
        }
        return new Standardiser(means, stds);
    }

    /** {@code (x - mean) / std} for each column of one row. */
    double[] apply(double[] row) {
        double[] scaled = new double[row.length];
        for (int column = 0; column < row.length; column++) {
            scaled[column] = (row[column] - means[column]) / stds[column];
        }
        return scaled;
    }

    /** {@link #apply(double[])} for every row. */
    double[][] apply(double[][] rows) {
        double[][] scaled = new double[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            scaled[i] = apply(rows[i]);
        }
        return scaled;
    }

    @Override
    public double[] means() {
        return means.clone();
    }

    @Override
    public double[] stds() {
        return stds.clone();
    }

    private static double round(double value, int decimals) {
        return new BigDecimal(value).setScale(decimals, RoundingMode.HALF_EVEN).doubleValue();
    }
}
