package dev.lattice.models.examples;

/**
 * A multinomial logistic regression ({@code scores = x · W + b}, class probabilities by
 * softmax) trained by full-batch gradient descent on the mean cross-entropy.
 *
 * <p>Plain loops and {@link StrictMath} make training give the same bits on every machine,
 * which the committed example models depend on. Immutable.
 *
 * @param weights {@code [features][classes]}, the layout of the ONNX MatMul initializer
 * @param bias {@code [classes]}
 */
record SoftmaxRegression(double[][] weights, double[] bias) {
    SoftmaxRegression {
        weights = deepCopy(weights);
        bias = bias.clone();
    }

    /** Trains from zero weights; {@code labels[i]} is the class of {@code rows[i]}. */
    static SoftmaxRegression train(double[][] rows, int[] labels, int classes, int iterations,
            double learningRate) {
        int width = rows[0].length;
        double[][] weights = new double[width][classes];
        double[] bias = new double[classes];
        for (int iteration = 0; iteration < iterations; iteration++) {
            SoftmaxRegression current = new SoftmaxRegression(weights, bias);
            double[][] weightGradient = new double[width][classes];
            double[] biasGradient = new double[classes];
            for (int i = 0; i < rows.length; i++) {
                double[] error = current.probabilities(rows[i]);
                error[labels[i]] -= 1;
                for (int k = 0; k < classes; k++) {
                    for (int j = 0; j < width; j++) {
                        weightGradient[j][k] += error[k] * rows[i][j];
                    }
                    biasGradient[k] += error[k];
                }
            }
            for (int k = 0; k < classes; k++) {
                for (int j = 0; j < width; j++) {
                    weights[j][k] -= learningRate * weightGradient[j][k] / rows.length;
                }
                bias[k] -= learningRate * biasGradient[k] / rows.length;
            }
        }
        return new SoftmaxRegression(weights, bias);
    }

    /** The class probabilities of one (already scaled) row. */
    double[] probabilities(double[] row) {
        double[] scores = bias.clone();
        for (int k = 0; k < scores.length; k++) {
            for (int j = 0; j < row.length; j++) {
                scores[k] += row[j] * weights[j][k];
            }
        }
        return softmax(scores);
    }

    /** The most probable class of one row. */
    int predict(double[] row) {
        return argmax(probabilities(row));
    }

    /** The share of rows whose predicted class is their label. */
    double accuracy(double[][] rows, int[] labels) {
        int right = 0;
        for (int i = 0; i < rows.length; i++) {
            right += predict(rows[i]) == labels[i] ? 1 : 0;
        }
        return (double) right / rows.length;
    }

    /** The weights as the row-major floats of an ONNX initializer. */
    float[] weightsAsFloats() {
        float[] floats = new float[weights.length * bias.length];
        for (int j = 0; j < weights.length; j++) {
            for (int k = 0; k < bias.length; k++) {
                floats[j * bias.length + k] = (float) weights[j][k];
            }
        }
        return floats;
    }

    /** The bias as floats. */
    float[] biasAsFloats() {
        float[] floats = new float[bias.length];
        for (int k = 0; k < bias.length; k++) {
            floats[k] = (float) bias[k];
        }
        return floats;
    }

    /** Softmax, shifted by the maximum so large scores do not overflow. */
    static double[] softmax(double[] scores) {
        double max = scores[argmax(scores)];
        double sum = 0;
        double[] exps = new double[scores.length];
        for (int k = 0; k < scores.length; k++) {
            exps[k] = StrictMath.exp(scores[k] - max);
            sum += exps[k];
        }
        for (int k = 0; k < scores.length; k++) {
            exps[k] /= sum;
        }
        return exps;
    }

    static int argmax(double[] values) {
        int best = 0;
        for (int k = 1; k < values.length; k++) {
            best = values[k] > values[best] ? k : best;
        }
        return best;
    }

    @Override
    public double[][] weights() {
        return deepCopy(weights);
    }

    @Override
    public double[] bias() {
        return bias.clone();
    }

    private static double[][] deepCopy(double[][] matrix) {
        double[][] copy = new double[matrix.length][];
        for (int j = 0; j < matrix.length; j++) {
            copy[j] = matrix[j].clone();
        }
        return copy;
    }
}
