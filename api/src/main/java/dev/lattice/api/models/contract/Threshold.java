package dev.lattice.api.models.contract;

import java.util.List;

/**
 * The answer for a one-column output (a score or a probability): {@code labels[0]} below
 * {@code value}, {@code labels[1]} at or above it.
 *
 * @param value  the cut
 * @param labels exactly two: below, at or above
 * @throws dev.lattice.core.LatticeException 400 when the labels are not exactly two or the value not finite
 */
public record Threshold(double value, List<String> labels) {
    public Threshold {
        if (!Double.isFinite(value)) throw Contract.invalid("postprocess.threshold.value must be a finite number");
        if (labels == null || labels.size() != 2) {
            throw Contract.invalid("postprocess.threshold.labels must name exactly 2 labels (below, at or above the value), not "
                    + (labels == null ? 0 : labels.size()));
        }
        labels = List.copyOf(labels);
        if (labels.get(0).isBlank() || labels.get(1).isBlank()) throw Contract.invalid("postprocess.threshold.labels must not be empty");
        if (labels.get(0).equals(labels.get(1))) throw Contract.invalid("postprocess.threshold.labels names '" + labels.get(0) + "' twice");
    }

    String label(double score) {
        return score < value ? labels.get(0) : labels.get(1);
    }
}
