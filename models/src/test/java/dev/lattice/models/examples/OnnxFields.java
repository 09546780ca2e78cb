package dev.lattice.models.examples;

/**
 * Field numbers and enum values of {@code onnx.proto} (github.com/onnx/onnx, onnx/onnx.proto)
 * for the messages {@link OnnxWriter} writes, kept in one place to check against that file.
 */
final class OnnxFields {
    private OnnxFields() {
    }

    /** {@code ModelProto} and its {@code OperatorSetIdProto}. */
    static final class Model {
        static final int IR_VERSION = 1;
        static final int PRODUCER_NAME = 2;
        static final int GRAPH = 7;
        static final int OPSET_IMPORT = 8;
        static final int OPSET_DOMAIN = 1;
        static final int OPSET_VERSION = 2;

        private Model() {
        }
    }

    /** {@code GraphProto}. */
    static final class Graph {
        static final int NODE = 1;
        static final int NAME = 2;
        static final int INITIALIZER = 5;
        static final int INPUT = 11;
        static final int OUTPUT = 12;

        private Graph() {
        }
    }

    /** {@code NodeProto}. */
    static final class Node {
        static final int INPUT = 1;
        static final int OUTPUT = 2;
        static final int NAME = 3;
        static final int OP_TYPE = 4;
        static final int ATTRIBUTE = 5;
        static final int DOMAIN = 7;

        private Node() {
        }
    }

    /** {@code AttributeProto} and its {@code AttributeType} values. */
    static final class Attr {
        static final int NAME = 1;
        static final int F = 2;
        static final int I = 3;
        static final int INTS = 8;
        static final int TYPE = 20;
        static final int TYPE_FLOAT = 1;
        static final int TYPE_INT = 2;
        static final int TYPE_INTS = 7;

        private Attr() {
        }
    }

    /** {@code TensorProto}. */
    static final class Tensor {
        static final int DIMS = 1;
        static final int DATA_TYPE = 2;
        static final int NAME = 8;
        static final int RAW_DATA = 9;

        private Tensor() {
        }
    }

    /**
     * {@code ValueInfoProto} (name, type), {@code TypeProto} (tensor_type, sequence_type,
     * map_type), {@code TypeProto.Tensor} (elem_type, shape), {@code TypeProto.Sequence}
     * (elem_type), {@code TypeProto.Map} (key_type, value_type) and {@code TensorShapeProto}
     * with its {@code Dimension} (dim, dim_value, dim_param).
     */
    static final class Value {
        static final int NAME = 1;
        static final int TYPE = 2;
        static final int TENSOR_TYPE = 1;
        static final int SEQUENCE_TYPE = 4;
        static final int MAP_TYPE = 5;
        static final int ELEM_TYPE = 1;
        static final int SEQUENCE_ELEM_TYPE = 1;
        static final int MAP_KEY_TYPE = 1;
        static final int MAP_VALUE_TYPE = 2;
        static final int SHAPE = 2;
        static final int DIM = 1;
        static final int DIM_VALUE = 1;
        static final int DIM_PARAM = 2;

        private Value() {
        }
    }
}
