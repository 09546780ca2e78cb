package dev.lattice.models.onnx;

import static dev.lattice.api.models.Datatypes.BOOL;
import static dev.lattice.api.models.Datatypes.FP32;
import static dev.lattice.api.models.Datatypes.FP64;
import static dev.lattice.api.models.Datatypes.INT32;
import static dev.lattice.api.models.Datatypes.INT64;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.TensorInfo;

/**
 * V2 datatype names ({@link dev.lattice.api.models.Datatypes}) to and from ONNX Runtime's types:
 * the half of the datatypes that needs ONNX Runtime. Stateless, so thread-safe.
 */
public final class OnnxDatatypes {
    private OnnxDatatypes() {}

    /** The V2 name of an ONNX tensor element type. */
    public static String of(TensorInfo.OnnxTensorType type) {
        return switch (type) {
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT -> FP32;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_DOUBLE -> FP64;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT64 -> INT64;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT32 -> INT32;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_BOOL -> BOOL;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT16 -> "INT16";
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT8 -> "INT8";
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT8 -> "UINT8";
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT16 -> "UINT16";
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT32 -> "UINT32";
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT64 -> "UINT64";
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT16 -> "FP16";
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_BFLOAT16 -> "BF16";
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_STRING -> "BYTES";
            default -> type.name().replace("ONNX_TENSOR_ELEMENT_DATA_TYPE_", "");
        };
    }

    /**
     * ONNX Runtime's Java type for a V2 name.
     *
     * @throws IllegalArgumentException for a name with no fixed-size element (BYTES, SEQUENCE, MAP)
     */
    public static OnnxJavaType javaType(String datatype) {
        return switch (datatype) {
            case FP32 -> OnnxJavaType.FLOAT;
            case FP64 -> OnnxJavaType.DOUBLE;
            case INT64 -> OnnxJavaType.INT64;
            case INT32 -> OnnxJavaType.INT32;
            case BOOL -> OnnxJavaType.BOOL;
            case "INT16" -> OnnxJavaType.INT16;
            case "INT8" -> OnnxJavaType.INT8;
            case "UINT8" -> OnnxJavaType.UINT8;
            case "FP16" -> OnnxJavaType.FLOAT16;
            case "BF16" -> OnnxJavaType.BFLOAT16;
            default -> throw new IllegalArgumentException(datatype + " has no fixed-size element");
        };
    }
}
