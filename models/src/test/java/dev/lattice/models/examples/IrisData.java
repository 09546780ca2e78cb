package dev.lattice.models.examples;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Fisher's Iris data (UCI copy, 150 rows), read from the {@code iris.csv} resource that is also
 * published next to the example model. Immutable.
 *
 * @param csv the file as published: a header, then {@code sepal_length, sepal_width,
 *     petal_length, petal_width, species} per row
 * @param rows the four measurements (cm) per flower
 * @param species the index in {@link #SPECIES} per flower
 */
record IrisData(String csv, double[][] rows, int[] species) {
    /** The measurement columns, as the contract's fields. */
    static final List<String> FIELDS =
            List.of("sepal_length", "sepal_width", "petal_length", "petal_width");
    /** The classes, in the order of the model's output columns. */
    static final List<String> SPECIES = List.of("setosa", "versicolor", "virginica");

    IrisData {
        rows = Arrays.stream(rows).map(double[]::clone).toArray(double[][]::new);
        species = species.clone();
    }

    /** Reads the resource bundled with this class. */
    static IrisData load() {
        try (InputStream in = IrisData.class.getResourceAsStream("iris.csv")) {
            if (in == null) {
                throw new IllegalStateException("iris.csv resource missing from the classpath");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the iris.csv resource", e);
        }
    }

    private static IrisData parse(String csv) {
        List<String> lines = csv.lines().skip(1).toList();
        double[][] rows = new double[lines.size()][FIELDS.size()];
        int[] species = new int[lines.size()];
        for (int i = 0; i < lines.size(); i++) {
            String[] cells = lines.get(i).split(",");
            for (int j = 0; j < FIELDS.size(); j++) {
                rows[i][j] = Double.parseDouble(cells[j]);
            }
            species[i] = SPECIES.indexOf(cells[FIELDS.size()]);
            if (species[i] < 0) {
                throw new IllegalStateException("iris.csv line " + (i + 2) + ": unknown species");
            }
        }
        return new IrisData(csv, rows, species);
    }

    @Override
    public double[][] rows() {
        return Arrays.stream(rows).map(double[]::clone).toArray(double[][]::new);
    }

    @Override
    public int[] species() {
        return species.clone();
    }
}
