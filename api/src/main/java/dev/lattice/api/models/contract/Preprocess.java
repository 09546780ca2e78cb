package dev.lattice.api.models.contract;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lattice.api.models.ModelSignature;
import dev.lattice.core.LatticeException;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How one JSON object becomes one row of the model's input: the fields in column order, then per
 * field an optional impute (used when missing or null), encode (string to number) and scale.
 * Order of work per field: impute or read, encode, scale.
 *
 * <p>Immutable; the maps keep the order they were written in, so {@link Contract#toJson()} is stable.
 *
 * @param input  the model input to fill, or null when the model has one input
 * @param fields the request's field names, in the order of the input's columns
 * @param encode per field, string values to numbers
 * @param impute per field, the raw value (before scaling) used when the field is missing or null
 * @param scale  per field, standardisation
 * @throws LatticeException 400 {@code models:contract.invalid} naming the place of the mistake
 */
public record Preprocess(String input, List<String> fields, Map<String, Map<String, Double>> encode,
                         Map<String, Double> impute, Map<String, Scale> scale) {
    public Preprocess {
        if (input != null && input.isBlank()) throw Contract.invalid("preprocess.input must not be empty");
        fields = checkFields(fields);
        encode = ordered(encode);
        impute = ordered(impute);
        scale = ordered(scale);
        checkNames("encode", encode.keySet(), fields);
        checkNames("impute", impute.keySet(), fields);
        checkNames("scale", scale.keySet(), fields);
        for (var e : encode.entrySet()) {
            if (e.getValue() == null || e.getValue().isEmpty()) throw Contract.invalid("preprocess.encode." + e.getKey() + " must map at least one value");
            for (var code : e.getValue().entrySet()) finite("preprocess.encode." + e.getKey() + "." + code.getKey(), code.getValue());
            e.setValue(Collections.unmodifiableMap(new LinkedHashMap<>(e.getValue())));
        }
        for (var e : impute.entrySet()) finite("preprocess.impute." + e.getKey(), e.getValue());
        for (var e : scale.entrySet()) checkScale(e.getKey(), e.getValue());
        encode = Collections.unmodifiableMap(encode);
        impute = Collections.unmodifiableMap(impute);
        scale = Collections.unmodifiableMap(scale);
    }

    /** The model input this fills: the named one, or the model's only input. */
    public ModelSignature.Tensor inputOf(ModelSignature model) {
        if (input != null) {
            return model.input(input).orElseThrow(() -> Contract.mismatch(
                    "preprocess.input '" + input + "' is not an input of the model; its inputs: " + model.inputNames()));
        }
        if (model.inputs().size() != 1) {
            throw Contract.mismatch("the model has " + model.inputs().size() + " inputs " + model.inputNames()
                    + ": name one in preprocess.input");
        }
        return model.inputs().get(0);
    }

    /**
     * One request object as a row.
     *
     * @param index the object's place in a request array, or -1 for a lone object (for the message)
     * @throws LatticeException 400 {@code models:predict.invalid} naming the field
     */
    double[] row(JsonNode object, int index) {
        double[] row = new double[fields.size()];
        for (int c = 0; c < row.length; c++) {
            String field = fields.get(c);
            JsonNode value = object.get(field);
            double x;
            if (value == null || value.isNull()) {
                Double fallback = impute.get(field);
                if (fallback == null) throw Contract.request(index < 0 ? "missing field '" + field + "'" : "[" + index + "]." + field + ": missing");
                x = fallback;
            } else {
                Map<String, Double> codes = encode.get(field);
                x = codes == null ? number(value, index, field) : code(value, codes, index, field);
            }
            Scale s = scale.get(field);
            row[c] = s == null ? x : s.apply(x);
        }
        return row;
    }

    private static double number(JsonNode value, int index, String field) {
        if (value.isNumber()) return value.doubleValue();
        throw Contract.request(where(index, field) + "a number, not " + shown(value, '"'));
    }

    private static double code(JsonNode value, Map<String, Double> codes, int index, String field) {
        Double code = value.isValueNode() ? codes.get(value.asText()) : null;
        if (code == null) {
            throw Contract.request(where(index, field) + shown(value, '\'') + " is not one of " + codes.keySet());
        }
        return code;
    }

    private static String where(int index, String field) {
        return index < 0 ? "field '" + field + "': " : "[" + index + "]." + field + ": ";
    }

    /** The offending value as the client wrote it, cut short; objects and arrays by kind only. */
    private static String shown(JsonNode value, char quote) {
        if (value.isObject()) return "an object";
        if (value.isArray()) return "an array";
        String text = value.asText();
        if (text.length() > 40) text = text.substring(0, 40) + "...";
        return value.isTextual() ? quote + text + quote : text;
    }

    private static List<String> checkFields(List<String> fields) {
        if (fields == null || fields.isEmpty()) throw Contract.invalid("preprocess.fields must name at least one field");
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < fields.size(); i++) {
            String f = fields.get(i);
            if (f == null || f.isBlank()) throw Contract.invalid("preprocess.fields[" + i + "] must not be empty");
            if (!seen.add(f)) throw Contract.invalid("preprocess.fields names '" + f + "' twice");
        }
        return List.copyOf(fields);
    }

    private static void checkNames(String key, Set<String> names, List<String> fields) {
        for (String name : names) {
            if (!fields.contains(name)) {
                throw Contract.invalid("preprocess." + key + "." + name + " is not one of preprocess.fields " + fields);
            }
        }
    }

    private static void checkScale(String field, Scale scale) {
        String at = "preprocess.scale." + field;
        if (scale == null) throw Contract.invalid(at + " needs mean and std");
        finite(at + ".mean", scale.mean());
        finite(at + ".std", scale.std());
        if (scale.std() == 0) throw Contract.invalid(at + ".std must not be 0");
        if (scale.std() < 0) throw Contract.invalid(at + ".std must be positive, not " + scale.std());
    }

    private static void finite(String at, Double value) {
        if (value == null || !Double.isFinite(value)) throw Contract.invalid(at + " must be a finite number");
    }

    private static <V> Map<String, V> ordered(Map<String, V> map) {
        return map == null ? new LinkedHashMap<>() : new LinkedHashMap<>(map);
    }
}
