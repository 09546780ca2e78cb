package dev.lattice.api.models;

/**
 * Element types under their Open Inference Protocol (KServe V2) names, which is how Lattice
 * shows them everywhere ({@code FP32}, {@code INT64}, ...). The mapping to ONNX Runtime's types is
 * {@code models.onnx.OnnxDatatypes}, so that readers of a signature need no ONNX Runtime. Stateless.
 */
public final class Datatypes {
    public static final String FP32 = "FP32";
    public static final String FP64 = "FP64";
    public static final String INT64 = "INT64";
    public static final String INT32 = "INT32";
    public static final String BOOL = "BOOL";
    /** An output that is a sequence (sklearn's ZipMap gives a sequence of maps), not a tensor. */
    public static final String SEQUENCE = "SEQUENCE";
    /** An output that is a map, not a tensor. */
    public static final String MAP = "MAP";

    private Datatypes() {}

    /** True for the types a contract can fill from JSON numbers and read back as numbers. */
    public static boolean isNumeric(String datatype) {
        return FP32.equals(datatype) || FP64.equals(datatype) || INT64.equals(datatype) || INT32.equals(datatype);
    }
}
