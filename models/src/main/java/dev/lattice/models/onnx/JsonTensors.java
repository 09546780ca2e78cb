package dev.lattice.models.onnx;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.lattice.api.models.ModelSignature;
import dev.lattice.core.LatticeException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * A tensor from nested JSON lists (what a Python contract's {@code preprocess} returns): its shape
 * read from the nesting, every level checked to be as long as the first, and the numbers written
 * in the element type the model declares. Stateless.
 */
public final class JsonTensors {
    /** 16 M elements: far more than a 4 MiB request can mean, far less than a server's memory. */
    static final long MAX_ELEMENTS = 16L << 20;

    private JsonTensors() {}

    /** @throws LatticeException 400 naming the input when the values do not fit it */
    public static OnnxTensor of(JsonNode value, ModelSignature.Tensor input) throws OrtException {
        String name = input.name();
        List<Long> shape = new ArrayList<>();
        for (JsonNode at = value; at.isArray(); at = at.path(0)) {
            shape.add((long) at.size());
            if (at.isEmpty()) break;
        }
        List<Long> wanted = input.shape();
        boolean fits = wanted == null || wanted.size() == shape.size();
        for (int i = 0; fits && i < shape.size(); i++) fits = wanted.get(i) < 0 || wanted.get(i).equals(shape.get(i));
        if (!fits) throw bad("preprocess(): input '" + name + "' has shape " + shape + ", the model wants " + wanted + " (-1: any)");
        long count = 1;
        for (long d : shape) count *= d;
        if (count > MAX_ELEMENTS) throw bad("preprocess(): input '" + name + "' has " + count + " values, more than " + MAX_ELEMENTS);
        OnnxJavaType type;
        try {
            type = OnnxDatatypes.javaType(input.datatype());
        } catch (IllegalArgumentException e) {
            throw bad("the model's input '" + name + "' is " + input.datatype() + ", which a Python contract cannot fill");
        }
        if (type != OnnxJavaType.FLOAT && type != OnnxJavaType.DOUBLE && type != OnnxJavaType.INT64
                && type != OnnxJavaType.INT32 && type != OnnxJavaType.BOOL) {
            throw bad("the model's input '" + name + "' is " + input.datatype() + ", which a Python contract cannot fill");
        }
        ByteBuffer buffer = ByteBuffer.allocateDirect(Math.toIntExact(Math.max(1, count) * type.size)).order(ByteOrder.nativeOrder());
        long[] dims = shape.stream().mapToLong(Long::longValue).toArray();
        write(value, dims, 0, type, buffer, name);
        buffer.flip();
        return OnnxTensor.createTensor(Onnx.environment(), buffer, dims, type);
    }

    private static void write(JsonNode node, long[] dims, int depth, OnnxJavaType type, ByteBuffer out, String name) {
        if (depth == dims.length) {
            if (!node.isNumber() && !node.isBoolean()) throw bad("preprocess(): input '" + name + "' holds " + brief(node) + ", not a number");
            double v = node.isBoolean() ? (node.booleanValue() ? 1 : 0) : node.doubleValue();
            switch (type) {
                case FLOAT -> out.putFloat((float) v);
                case DOUBLE -> out.putDouble(v);
                case INT64 -> out.putLong(node.isIntegralNumber() ? node.longValue() : Math.round(v));
                case INT32 -> out.putInt((int) Math.round(v));
                case BOOL -> out.put((byte) (v != 0 ? 1 : 0));
                default -> throw new IllegalStateException(type.toString());
            }
            return;
        }
        if (!node.isArray() || node.size() != dims[depth])
            throw bad("preprocess(): input '" + name + "' is ragged: every list at depth " + depth + " must hold " + dims[depth] + " items");
        for (JsonNode item : node) write(item, dims, depth + 1, type, out, name);
    }

    private static String brief(JsonNode node) {
        String s = node.toString();
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }

    private static LatticeException bad(String detail) {
        return LatticeException.badRequest("model-server:contract.inputs", detail);
    }
}
