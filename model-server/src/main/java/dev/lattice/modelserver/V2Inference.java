package dev.lattice.modelserver;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lattice.api.models.Datatypes;
import dev.lattice.api.models.ModelSignature;
import dev.lattice.core.LatticeException;
import dev.lattice.models.onnx.Onnx;
import dev.lattice.models.onnx.OnnxDatatypes;
import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Open Inference Protocol (KServe V2) REST bodies: an infer request's JSON tensors into
 * ONNX tensors, the results back into JSON, and the model metadata. Tensors of FP32, FP64,
 * INT64, INT32 and BOOL; {@code data} flat or nested, in row-major order. Stateless.
 */
final class V2Inference {
    /** A V2 request the model cannot take; the detail names the input. */
    static final String INVALID = "model-server:infer.invalid";
    static final String SUPPORTED = "FP32, FP64, INT64, INT32 or BOOL";
    /** Bounds one input's element count (and so its direct buffer): 16 Mi values. */
    static final long MAX_ELEMENTS = 1L << 24;

    private V2Inference() {}

    /** A decoded request: its tensors, the outputs to send and its id. Closing frees the tensors. */
    static final class Request implements AutoCloseable {
        final Map<String, OnnxTensor> inputs = new LinkedHashMap<>();
        final List<ModelSignature.Tensor> outputs = new ArrayList<>();
        final String id;
        private final DirectBuffers buffers;
        private final List<ByteBuffer> taken = new ArrayList<>();

        private Request(String id, DirectBuffers buffers) {
            this.id = id;
            this.buffers = buffers;
        }

        Set<String> outputNames() {
            Set<String> names = new LinkedHashSet<>();
            for (ModelSignature.Tensor t : outputs) names.add(t.name());
            return names;
        }

        @Override
        public void close() {
            inputs.values().forEach(OnnxTensor::close);
            taken.forEach(buffers::give);
        }
    }

    /**
     * Reads an infer request against the model's signature.
     *
     * @throws LatticeException 400 {@code model-server:infer.invalid} naming the input: unknown or
     *         missing, a datatype other than the model's, a shape that does not fit, a data count
     *         that does not match the shape, a value of the wrong kind
     */
    static Request decode(JsonNode body, ModelSignature model, DirectBuffers buffers) throws OrtException {
        if (body == null || !body.isObject()) throw bad("body: a JSON object with \"inputs\" is required");
        JsonNode inputs = body.get("inputs");
        if (inputs == null || !inputs.isArray() || inputs.isEmpty()) throw bad("inputs: a non-empty list of tensors is required");
        JsonNode id = body.get("id");
        if (id != null && !id.isNull() && !id.isTextual()) throw bad("id: must be a string");
        Request request = new Request(id == null || id.isNull() ? null : id.asText(), buffers);
        try {
            for (int i = 0; i < inputs.size(); i++) input(inputs.get(i), i, model, request);
            for (String name : model.inputNames()) {
                if (!request.inputs.containsKey(name)) throw bad("inputs: the model also needs input '" + name + "'");
            }
            request.outputs.addAll(outputs(body.get("outputs"), model));
            return request;
        } catch (OrtException | RuntimeException e) {
            request.close();
            throw e;
        }
    }

    private static void input(JsonNode node, int index, ModelSignature model, Request request) throws OrtException {
        if (!node.isObject()) throw bad("inputs[" + index + "]: a tensor object is required");
        JsonNode nameNode = node.get("name");
        if (nameNode == null || !nameNode.isTextual()) throw bad("inputs[" + index + "].name: a string is required");
        String name = nameNode.asText();
        ModelSignature.Tensor declared = model.input(name).orElseThrow(() -> bad("inputs[" + index + "].name: '" + name
                + "' is not an input of the model; its inputs: " + model.inputNames()));
        String at = "input '" + name + "'";
        if (request.inputs.containsKey(name)) throw bad(at + " is given twice");
        JsonNode typeNode = node.get("datatype");
        String datatype = typeNode == null || !typeNode.isTextual() ? null : typeNode.asText();
        if (datatype == null) throw bad(at + ": datatype is required (" + SUPPORTED + ")");
        if (!isSupported(datatype)) throw bad(at + ": datatype " + datatype + " is not supported; use " + SUPPORTED);
        if (!datatype.equals(declared.datatype())) throw bad(at + ": datatype " + datatype + ", but the model takes " + declared.datatype());
        long[] shape = shape(node.get("shape"), at, declared);
        long count = 1;
        for (long d : shape) count *= d;
        JsonNode data = node.get("data");
        if (data == null || !data.isArray()) throw bad(at + ": data must be a list of values (flat or nested)");
        OnnxJavaType type = OnnxDatatypes.javaType(datatype);
        ByteBuffer buffer = request.buffers.take((int) (count * type.size));
        request.taken.add(buffer);
        int written = fill(data, buffer, datatype, 0, (int) count, at);
        if (written != count) {
            throw bad(at + ": shape " + Arrays.toString(shape) + " needs " + count + " values but data has " + written);
        }
        request.inputs.put(name, OnnxTensor.createTensor(Onnx.environment(), buffer, shape, type));
    }

    private static long[] shape(JsonNode node, String at, ModelSignature.Tensor declared) {
        if (node == null || !node.isArray()) throw bad(at + ": shape must be a list of dimensions");
        long[] shape = new long[node.size()];
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = node.get(i);
            if (!d.isIntegralNumber() || !d.canConvertToLong() || d.longValue() < 0) {
                throw bad(at + ": shape must be a list of non-negative integers");
            }
            shape[i] = d.longValue();
            count = shape[i] == 0 ? 0 : count * shape[i];
            if (count > MAX_ELEMENTS) throw bad(at + ": shape " + node + " has more than " + MAX_ELEMENTS + " values");
        }
        boolean fits = shape.length == declared.shape().size();
        for (int i = 0; fits && i < shape.length; i++) {
            long want = declared.shape().get(i);
            fits = want == -1 || want == shape[i];
        }
        if (!fits) throw bad(at + ": shape " + Arrays.toString(shape) + " does not fit the model's " + declared.shape());
        return shape;
    }

    /** Writes the values in row-major order; returns how many there were (written or not). */
    private static int fill(JsonNode data, ByteBuffer buffer, String datatype, int at, int capacity, String where) {
        for (JsonNode value : data) {
            if (value.isArray()) {
                at = fill(value, buffer, datatype, at, capacity, where);
                continue;
            }
            if (at < capacity) put(value, buffer, datatype, at, where);
            at++;
        }
        return at;
    }

    private static void put(JsonNode v, ByteBuffer buffer, String datatype, int i, String where) {
        switch (datatype) {
            case Datatypes.FP32 -> buffer.putFloat(i * 4, (float) number(v, i, where));
            case Datatypes.FP64 -> buffer.putDouble(i * 8, number(v, i, where));
            case Datatypes.INT64 -> {
                if (!v.isIntegralNumber() || !v.canConvertToLong()) throw wrong(v, i, where, "an INT64 integer");
                buffer.putLong(i * 8, v.longValue());
            }
            case Datatypes.INT32 -> {
                if (!v.isIntegralNumber() || !v.canConvertToInt()) throw wrong(v, i, where, "an INT32 integer");
                buffer.putInt(i * 4, v.intValue());
            }
            case Datatypes.BOOL -> {
                if (!v.isBoolean()) throw wrong(v, i, where, "true or false");
                buffer.put(i, (byte) (v.booleanValue() ? 1 : 0));
            }
            default -> throw new IllegalStateException(datatype);
        }
    }

    private static double number(JsonNode v, int i, String where) {
        if (!v.isNumber()) throw wrong(v, i, where, "a number");
        return v.doubleValue();
    }

    private static LatticeException wrong(JsonNode v, int i, String where, String wanted) {
        String shown = v.isObject() ? "an object" : v.isTextual() ? "\"" + v.asText() + "\"" : v.toString();
        return bad(where + ": data[" + i + "] (counting flat) must be " + wanted + ", not " + shown);
    }

    private static List<ModelSignature.Tensor> outputs(JsonNode filter, ModelSignature model) {
        if (filter == null || filter.isNull() || (filter.isArray() && filter.isEmpty())) {
            return model.outputs().stream().filter(ModelSignature.Tensor::isTensor).toList();
        }
        if (!filter.isArray()) throw bad("outputs: must be a list of {\"name\": ...}");
        Map<String, ModelSignature.Tensor> wanted = new LinkedHashMap<>();
        for (int i = 0; i < filter.size(); i++) {
            JsonNode name = filter.get(i).get("name");
            if (name == null || !name.isTextual()) throw bad("outputs[" + i + "].name: a string is required");
            int index = i;
            ModelSignature.Tensor t = model.output(name.asText()).orElseThrow(() -> bad("outputs[" + index + "].name: '"
                    + name.asText() + "' is not an output of the model; its outputs: " + model.outputNames()));
            if (!t.isTensor()) throw bad("output '" + t.name() + "' is a " + t.datatype() + ", which the V2 protocol cannot carry");
            wanted.put(t.name(), t);
        }
        return List.copyOf(wanted.values());
    }

    /** The infer response: {@code model_name}, {@code model_version}, {@code id} if given, {@code outputs}. */
    static ObjectNode answer(String name, String version, Request request, OrtSession.Result result) {
        ObjectNode root = JsonNodeFactory.instance.objectNode().put("model_name", name).put("model_version", version);
        if (request.id != null) root.put("id", request.id);
        ArrayNode outputs = root.putArray("outputs");
        for (ModelSignature.Tensor t : request.outputs) {
            OnnxValue value = result.get(t.name()).orElseThrow(() -> new IllegalStateException("no output " + t.name()));
            if (!(value instanceof OnnxTensor tensor)) throw new IllegalStateException(t.name() + " is not a tensor");
            ObjectNode out = outputs.addObject().put("name", t.name()).put("datatype", OnnxDatatypes.of(tensor.getInfo().onnxType));
            ArrayNode shape = out.putArray("shape");
            for (long d : tensor.getInfo().getShape()) shape.add(d);
            data(tensor, t.name(), out.putArray("data"));
        }
        return root;
    }

    private static void data(OnnxTensor tensor, String name, ArrayNode data) {
        switch (tensor.getInfo().type) {
            case FLOAT -> {
                FloatBuffer b = tensor.getFloatBuffer();
                while (b.hasRemaining()) data.add(b.get());
            }
            case DOUBLE -> {
                DoubleBuffer b = tensor.getDoubleBuffer();
                while (b.hasRemaining()) data.add(b.get());
            }
            case INT64 -> {
                LongBuffer b = tensor.getLongBuffer();
                while (b.hasRemaining()) data.add(b.get());
            }
            case INT32 -> {
                IntBuffer b = tensor.getIntBuffer();
                while (b.hasRemaining()) data.add(b.get());
            }
            case BOOL -> {
                ByteBuffer b = tensor.getByteBuffer();
                while (b.hasRemaining()) data.add(b.get() != 0);
            }
            default -> throw new LatticeException("model-server:output.unsupported", 500, "output '" + name + "' holds "
                    + OnnxDatatypes.of(tensor.getInfo().onnxType) + ", which this server does not send; ask for other outputs");
        }
    }

    /** The model metadata: name, versions, platform and the tensors. */
    static ObjectNode metadata(String name, String version, ModelSignature signature) {
        ObjectNode root = JsonNodeFactory.instance.objectNode().put("name", name);
        root.putArray("versions").add(version);
        root.put("platform", "onnxruntime");
        tensors(root.putArray("inputs"), signature.inputs());
        tensors(root.putArray("outputs"), signature.outputs());
        return root;
    }

    private static void tensors(ArrayNode array, List<ModelSignature.Tensor> tensors) {
        for (ModelSignature.Tensor t : tensors) {
            ObjectNode node = array.addObject().put("name", t.name()).put("datatype", t.datatype());
            ArrayNode shape = node.putArray("shape");
            t.shape().forEach(shape::add);
        }
    }

    private static boolean isSupported(String datatype) {
        return Datatypes.isNumeric(datatype) || Datatypes.BOOL.equals(datatype);
    }

    private static LatticeException bad(String detail) {
        return LatticeException.badRequest(INVALID, detail);
    }
}
