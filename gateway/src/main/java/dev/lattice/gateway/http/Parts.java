package dev.lattice.gateway.http;

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
public final class Parts {
    private final Map<String, UploadedFile> files;
    private final Map<String, java.util.List<String>> fields;

    private final String service;
    private final String expected;

    private Parts(Map<String, UploadedFile> files, Map<String, java.util.List<String>> fields, String service, String expected) {
        this.files = files;
        this.fields = fields;
        this.service = service;
        this.expected = expected;
    }

    /**
     * Reads an upload's parts after checking, before any byte is read, that it is a multipart form and
     * that its declared length is at most {@code maxBodyBytes} (a 400, a 413); a chunked body is held to
     * the server's multipart limits instead.
     *
     * @param service  the error codes' prefix ({@code apps}: {@code apps:body})
     * @param expected the parts the route takes, for the messages ({@code app and config})
     */
    public static Parts readUpload(Context ctx, String service, String expected, long maxBodyBytes) {
        String type = ctx.contentType();
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("multipart/form-data"))
            throw LatticeException.badRequest(service + ":body", "body: multipart/form-data with parts " + expected);
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxBodyBytes)
            throw LatticeException.tooLarge("body: " + declared + " bytes is more than an upload may have (" + maxBodyBytes + ")");
        return read(ctx, service, expected);
    }

    /**
     * @param service  the error codes' prefix ({@code models}: {@code models:part.config})
     * @param expected the parts the route takes, for the message when one is missing ({@code model, contract and config})
     */
    private static Parts read(Context ctx, String service, String expected) {
        try {
            return new Parts(ctx.uploadedFileMap().entrySet().stream()
                    .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> e.getValue().get(0))), ctx.formParamMap(),
                    service, expected);
        } catch (RuntimeException e) {
            String why = String.valueOf(e.getMessage()) + " " + (e.getCause() == null ? "" : e.getCause().getMessage());
            if (why.toLowerCase(java.util.Locale.ROOT).contains("size") || why.toLowerCase(java.util.Locale.ROOT).contains("exceed"))
                throw LatticeException.tooLarge("body: a part is larger than the upload limit (" + e.getMessage() + ")");
            throw LatticeException.badRequest(service + ":body", "body: not a readable multipart form (" + e.getMessage() + ")");
        }
    }

    public UploadedFile file(String name) {
        UploadedFile f = files.get(name);
        if (f == null) throw missing(name);
        return f;
    }

    /** The file name a file part was sent with; null for a plain field or a file without one. */
    public String fileName(String name) {
        UploadedFile f = files.get(name);
        return f == null ? null : f.filename();
    }

    /** A text part's bytes, at most {@code max}. */
    public byte[] text(String name, int max) {
        UploadedFile f = files.get(name);
        if (f != null) {
            if (f.size() > max) throw LatticeException.tooLarge(name + ": at most " + max + " bytes, not " + f.size());
            try (InputStream in = f.content()) {
                return in.readAllBytes();
            } catch (IOException e) {
                throw LatticeException.badRequest(service + ":body", name + ": the part could not be read");
            }
        }
        var values = fields.get(name);
        if (values == null || values.isEmpty()) throw missing(name);
        byte[] bytes = values.get(0).getBytes(StandardCharsets.UTF_8);
        if (bytes.length > max) throw LatticeException.tooLarge(name + ": at most " + max + " bytes, not " + bytes.length);
        return bytes;
    }

    private LatticeException missing(String name) {
        return LatticeException.badRequest(service + ":part." + name, name + ": the multipart form has no part '" + name
                + "' (send " + expected + ")");
    }
}
