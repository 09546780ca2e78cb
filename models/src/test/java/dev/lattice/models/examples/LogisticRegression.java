package dev.lattice.models.examples;

/**
 * A binary logistic regression ({@code p = sigmoid(x · w + b)}) trained by full-batch gradient
 * descent on the mean cross-entropy; {@link StrictMath} keeps the result the same on every
 * machine. Immutable.
 *
 * @param weights one per feature, the column of the ONNX MatMul initializer {@code [features, 1]}
 */
record LogisticRegression(double[] weights, double bias) {
    LogisticRegression {
        weights = weights.clone();
    }

    /** Trains from zero weights; {@code positive[i]} says whether {@code rows[i]} is class 1. */
    static LogisticRegression train(double[][] rows, boolean[] positive, int iterations,
            double learningRate) {
        double[] weights = new double[rows[0].length];
        double bias = 0;
        for (int iteration = 0; iteration < iterations; iteration++) {
            LogisticRegression current = new LogisticRegression(weights, bias);
            double[] gradient = new double[weights.length];
            double biasGradient = 0;
            for (int i = 0; i < rows.length; i++) {
                double error = current.probability(rows[i]) - (positive[i] ? 1 : 0);
                for (int j = 0; j < weights.length; j++) {
                    gradient[j] += error * rows[i][j];
                }
                biasGradient += error;
            }
            for (int j = 0; j < weights.length; j++) {
                weights[j] -= learningRate * gradient[j] / rows.length;
            }
            bias -= learningRate * biasGradient / rows.length;
        }
        return new LogisticRegression(weights, bias);
    }

    /** The probability of class 1 for one (already scaled) row. */
    double probability(double[] row) {
        double score = bias;
        for (int j = 0; j < row.length; j++) {
            score += row[j] * weights[j];
        }
        return 1 / (1 + StrictMath.exp(-score));
    }

    /** The share of rows on the right side of {@code threshold}. */
    double accuracy(double[][] rows, boolean[] positive, double threshold) {
        int right = 0;
        for (int i = 0; i < rows.length; i++) {
            right += (probability(rows[i]) >= threshold) == positive[i] ? 1 : 0;
        }
        return (double) right / rows.length;
    }

    /** The weights as floats, for the {@code [features, 1]} initializer. */
    float[] weightsAsFloats() {
        float[] floats = new float[weights.length];
        for (int j = 0; j < weights.length; j++) {
            floats[j] = (float) weights[j];
        }
        return floats;
    }

    @Override
    public double[] weights() {
        return weights.clone();
    }
}
