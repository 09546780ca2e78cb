package dev.lattice.gateway.models;

import dev.lattice.core.LatticeException;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The parts of a multipart upload, by name. A part may come as a file ({@code -F model=@m.onnx})
 * or as a plain field ({@code -F config='{"name":...}'}); text parts are read either way. A body
 * over the server's multipart limits is a 413, a broken one a 400 — never a 500.
 */
final class Parts {
    private final Map<String, UploadedFile> files;
    private final Map<String, java.util.List<String>> fields;

    private Parts(Map<String, UploadedFile> files, Map<String, java.util.List<String>> fields) {
        this.files = files;
        this.fields = fields;
    }

    static Parts read(Context ctx) {
        try {
            return new Parts(ctx.uploadedFileMap().entrySet().stream()
                    .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> e.getValue().get(0))), ctx.formParamMap());
        } catch (RuntimeException e) {
            String why = String.valueOf(e.getMessage()) + " " + (e.getCause() == null ? "" : e.getCause().getMessage());
            if (why.toLowerCase(java.util.Locale.ROOT).contains("size") || why.toLowerCase(java.util.Locale.ROOT).contains("exceed"))
                throw LatticeException.tooLarge("body: a part is larger than the upload limit (" + e.getMessage() + ")");
            throw LatticeException.badRequest("models:body", "body: not a readable multipart form (" + e.getMessage() + ")");
        }
    }

    UploadedFile file(String name) {
        UploadedFile f = files.get(name);
        if (f == null) throw missing(name);
        return f;
    }

    /** A text part's bytes, at most {@code max}. */
    byte[] text(String name, int max) {
        UploadedFile f = files.get(name);
        if (f != null) {
            if (f.size() > max) throw LatticeException.tooLarge(name + ": at most " + max + " bytes, not " + f.size());
            try (InputStream in = f.content()) {
                return in.readAllBytes();
            } catch (IOException e) {
                throw LatticeException.badRequest("models:body", name + ": the part could not be read");
            }
        }
        var values = fields.get(name);
        if (values == null || values.isEmpty()) throw missing(name);
        byte[] bytes = values.get(0).getBytes(StandardCharsets.UTF_8);
        if (bytes.length > max) throw LatticeException.tooLarge(name + ": at most " + max + " bytes, not " + bytes.length);
        return bytes;
    }

    private static LatticeException missing(String name) {
        return LatticeException.badRequest("models:part." + name, name + ": the multipart form has no part '" + name
                + "' (send model, contract and config)");
    }
}
