package dev.lattice.models.examples;

import dev.lattice.models.examples.OnnxFields.Attr;
import dev.lattice.models.examples.OnnxFields.Graph;
import dev.lattice.models.examples.OnnxFields.Model;
import dev.lattice.models.examples.OnnxFields.Node;
import dev.lattice.models.examples.OnnxFields.Tensor;
import dev.lattice.models.examples.OnnxFields.Value;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Writes a small ONNX model (a {@code ModelProto}) in protobuf wire format, without ONNX or
 * protobuf libraries, so that the build itself can make the models its tests and examples use.
 *
 * <p>It covers what tabular example models need: typed inputs and outputs with fixed, unknown or
 * dynamic-batch shapes, float initializers and nodes with INT, FLOAT and INTS attributes; and,
 * for scikit-learn-like classifiers, nodes of another operator set (such as {@code ZipMap} of
 * {@code ai.onnx.ml}) with a sequence-of-maps output. The model says IR version 8, the
 * default-domain opset 13 (then any other opsets imported) and producer {@code lattice}. Field
 * numbers are those of {@code onnx.proto}; nothing checks the graph itself (nodes must be given
 * in topological order, op types and their inputs must be valid): ONNX Runtime does that when
 * it loads the model.
 *
 * <pre>{@code
 * byte[] model = OnnxWriter.graph("iris")
 *         .input("features", FLOAT, BATCH, 4)
 *         .initializer("W", weights, 4, 3)
 *         .initializer("b", bias, 3)
 *         .node("MatMul", in("features", "W"), out("xw"))
 *         .node("Add", in("xw", "b"), out("scores"))
 *         .output("scores", FLOAT, BATCH, 3)
 *         .toBytes();
 * }</pre>
 *
 * <p>Not thread-safe; the same calls always give the same bytes.
 */
public final class OnnxWriter {
    /** A dimension written as {@code dim_param "batch"}: any number of rows. */
    public static final long BATCH = -1;
    /** A dimension of unknown size, written with neither {@code dim_value} nor {@code dim_param}. */
    public static final long UNKNOWN = -2;

    private static final long IR_VERSION = 8;
    private static final long OPSET_VERSION = 13;
    private static final String PRODUCER = "lattice";

    /** Tensor element types, with their {@code TensorProto.DataType} numbers. */
    public enum ElementType {
        FLOAT(1), INT32(6), INT64(7), BOOL(9), DOUBLE(11);

        private final int code;

        ElementType(int code) {
            this.code = code;
        }
    }

    private final String name;
    private final List<ProtoWriter> inputs = new ArrayList<>();
    private final List<ProtoWriter> outputs = new ArrayList<>();
    private final List<ProtoWriter> initializers = new ArrayList<>();
    private final List<ProtoWriter> nodes = new ArrayList<>();
    private final List<ProtoWriter> opsets = new ArrayList<>();

    private OnnxWriter(String name) {
        this.name = requireName(name, "graph");
    }

    /** Starts a model whose graph has the given name. */
    public static OnnxWriter graph(String name) {
        return new OnnxWriter(name);
    }

    /** Names a node's inputs, for {@link #node}. */
    public static List<String> in(String... names) {
        return List.of(names);
    }

    /** Names a node's outputs, for {@link #node}. */
    public static List<String> out(String... names) {
        return List.of(names);
    }

    /** An INT attribute (e.g. {@code axis}). */
    public static Attribute attr(String name, long value) {
        return new Attribute(name, new ProtoWriter().varint(Attr.I, value)
                .varint(Attr.TYPE, Attr.TYPE_INT));
    }

    /** A FLOAT attribute (e.g. {@code alpha}). */
    public static Attribute attr(String name, float value) {
        return new Attribute(name, new ProtoWriter().float32(Attr.F, value)
                .varint(Attr.TYPE, Attr.TYPE_FLOAT));
    }

    /** An INTS attribute (e.g. {@code perm}). */
    public static Attribute attr(String name, long[] values) {
        ProtoWriter body = new ProtoWriter();
        for (long value : values) {
            body.varint(Attr.INTS, value);
        }
        return new Attribute(name, body.varint(Attr.TYPE, Attr.TYPE_INTS));
    }

    /**
     * Declares a graph input.
     *
     * @param dims each a size, {@link #BATCH} for a dynamic batch dimension or {@link #UNKNOWN}
     * @throws IllegalArgumentException if a dimension is neither positive, {@code BATCH} nor
     *                                  {@code UNKNOWN}
     */
    public OnnxWriter input(String name, ElementType type, long... dims) {
        inputs.add(valueInfo(requireName(name, "input"), tensorType(name, type, dims)));
        return this;
    }

    /** Declares a graph output; dimensions as for {@link #input}. */
    public OnnxWriter output(String name, ElementType type, long... dims) {
        outputs.add(valueInfo(requireName(name, "output"), tensorType(name, type, dims)));
        return this;
    }

    /**
     * Declares a graph output that is a sequence of maps, one per row, from {@code key} to a
     * {@code value} tensor: what {@code ZipMap} gives, e.g. {@code seq(map(int64, tensor(float)))}.
     */
    public OnnxWriter outputSequenceOfMaps(String name, ElementType key, ElementType value) {
        ProtoWriter valueType = new ProtoWriter().message(Value.TENSOR_TYPE,
                new ProtoWriter().varint(Value.ELEM_TYPE, value.code));
        ProtoWriter map = new ProtoWriter().varint(Value.MAP_KEY_TYPE, key.code)
                .message(Value.MAP_VALUE_TYPE, valueType);
        ProtoWriter sequence = new ProtoWriter().message(Value.SEQUENCE_ELEM_TYPE,
                new ProtoWriter().message(Value.MAP_TYPE, map));
        outputs.add(valueInfo(requireName(name, "output"),
                new ProtoWriter().message(Value.SEQUENCE_TYPE, sequence)));
        return this;
    }

    /**
     * Imports another operator set, for nodes of that domain (e.g. {@code ai.onnx.ml} version 1
     * for {@code ZipMap}); the default domain's opset 13 is always imported, first.
     *
     * @throws IllegalArgumentException if the domain is blank or the version is not positive
     */
    public OnnxWriter opset(String domain, long version) {
        if (version <= 0) {
            throw new IllegalArgumentException("opset " + domain + ": version " + version);
        }
        opsets.add(new ProtoWriter().string(Model.OPSET_DOMAIN, requireName(domain, "opset domain"))
                .varint(Model.OPSET_VERSION, version));
        return this;
    }

    /**
     * Adds a constant FLOAT tensor, its values in row-major order, written as little-endian
     * {@code raw_data} (what exporters write, and exact: no decimal round trip).
     *
     * @throws IllegalArgumentException if the values do not fill the dimensions exactly
     */
    public OnnxWriter initializer(String name, float[] values, long... dims) {
        long size = 1;
        for (long dim : dims) {
            if (dim <= 0) {
                throw new IllegalArgumentException("initializer " + name + ": dimension " + dim);
            }
            size *= dim;
        }
        if (size != values.length) {
            throw new IllegalArgumentException("initializer " + name + ": " + values.length
                    + " values for dimensions " + Arrays.toString(dims));
        }
        ByteBuffer raw = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        raw.asFloatBuffer().put(values);
        ProtoWriter tensor = new ProtoWriter();
        for (long dim : dims) {
            tensor.varint(Tensor.DIMS, dim);
        }
        tensor.varint(Tensor.DATA_TYPE, ElementType.FLOAT.code)
                .string(Tensor.NAME, requireName(name, "initializer"))
                .bytes(Tensor.RAW_DATA, raw.array());
        initializers.add(tensor);
        return this;
    }

    /**
     * Adds a node of the default ONNX domain, named after its op type and position
     * ({@code matmul_0}, {@code add_1}, ...).
     */
    public OnnxWriter node(String opType, List<String> inputs, List<String> outputs,
            Attribute... attributes) {
        return addNode("", opType, inputs, outputs, attributes);
    }

    /**
     * Adds a node of another operator set's domain (e.g. {@code ai.onnx.ml}), which the model
     * must import with {@link #opset}; named as by {@link #node(String, List, List, Attribute...)}.
     */
    public OnnxWriter node(String domain, String opType, List<String> inputs,
            List<String> outputs, Attribute... attributes) {
        return addNode(requireName(domain, "domain"), opType, inputs, outputs, attributes);
    }

    private OnnxWriter addNode(String domain, String opType, List<String> inputs,
            List<String> outputs, Attribute... attributes) {
        ProtoWriter node = new ProtoWriter();
        inputs.forEach(input -> node.string(Node.INPUT, input));
        outputs.forEach(output -> node.string(Node.OUTPUT, output));
        node.string(Node.NAME, opType.toLowerCase(Locale.ROOT) + "_" + nodes.size())
                .string(Node.OP_TYPE, requireName(opType, "op type"));
        if (!domain.isEmpty()) {
            node.string(Node.DOMAIN, domain);
        }
        for (Attribute attribute : attributes) {
            node.message(Node.ATTRIBUTE, attribute.encode());
        }
        nodes.add(node);
        return this;
    }

    /** The model in ONNX protobuf wire format. */
    public byte[] toBytes() {
        ProtoWriter graph = new ProtoWriter();
        nodes.forEach(node -> graph.message(Graph.NODE, node));
        graph.string(Graph.NAME, name);
        initializers.forEach(tensor -> graph.message(Graph.INITIALIZER, tensor));
        inputs.forEach(input -> graph.message(Graph.INPUT, input));
        outputs.forEach(output -> graph.message(Graph.OUTPUT, output));
        ProtoWriter opset = new ProtoWriter().string(Model.OPSET_DOMAIN, "")
                .varint(Model.OPSET_VERSION, OPSET_VERSION);
        ProtoWriter model = new ProtoWriter()
                .varint(Model.IR_VERSION, IR_VERSION)
                .string(Model.PRODUCER_NAME, PRODUCER)
                .message(Model.GRAPH, graph)
                .message(Model.OPSET_IMPORT, opset);
        opsets.forEach(other -> model.message(Model.OPSET_IMPORT, other));
        return model.toBytes();
    }

    /** Writes {@link #toBytes()} to a file, creating its parent folders. */
    public void writeTo(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Files.write(file, toBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write ONNX model " + file, e);
        }
    }

    /** A {@code TypeProto} of a tensor with that shape; {@code name} is for the error. */
    private static ProtoWriter tensorType(String name, ElementType type, long[] dims) {
        ProtoWriter shape = new ProtoWriter();
        for (long dim : dims) {
            ProtoWriter dimension = new ProtoWriter();
            if (dim == BATCH) {
                dimension.string(Value.DIM_PARAM, "batch");
            } else if (dim > 0) {
                dimension.varint(Value.DIM_VALUE, dim);
            } else if (dim != UNKNOWN) {
                throw new IllegalArgumentException(name + ": dimension " + dim);
            }
            shape.message(Value.DIM, dimension);
        }
        ProtoWriter tensorType = new ProtoWriter().varint(Value.ELEM_TYPE, type.code)
                .message(Value.SHAPE, shape);
        return new ProtoWriter().message(Value.TENSOR_TYPE, tensorType);
    }

    private static ProtoWriter valueInfo(String name, ProtoWriter typeProto) {
        return new ProtoWriter().string(Value.NAME, name).message(Value.TYPE, typeProto);
    }

    private static String requireName(String name, String what) {
        if (Objects.requireNonNull(name, what).isBlank()) {
            throw new IllegalArgumentException(what + " name is blank");
        }
        return name;
    }

    /** A node attribute, made by one of the {@code attr} factories; immutable. */
    public static final class Attribute {
        private final String name;
        private final ProtoWriter value;

        private Attribute(String name, ProtoWriter value) {
            this.name = requireName(name, "attribute");
            this.value = value;
        }

        private ProtoWriter encode() {
            return new ProtoWriter().string(Attr.NAME, name).append(value);
        }
    }
}
