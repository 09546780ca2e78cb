package dev.lattice.nodes;

import dev.lattice.core.LatticeException;
import dev.lattice.core.Names;
import dev.lattice.workloads.NodeCommands;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Checks what {@code POST /api/v1/nodes} says about a remote Docker engine before anything is kept:
 * a {@code tcp://HOST:PORT} engine only with mutual TLS (an engine's API open to the network is root
 * on its machine for anyone who reaches it), certificates that parse, a private key in PEM. Each
 * refusal is a 400 naming the field.
 */
final class DockerAccessCheck {
    static final int MAX_PEM = 64 * 1024;
    private static final Pattern KEY = Pattern.compile("-----BEGIN (RSA |EC )?PRIVATE KEY-----[\\s\\S]+-----END (RSA |EC )?PRIVATE KEY-----");

    private DockerAccessCheck() {}

    static NodeCommands.DockerAccess check(NodeCommands.DockerAccess in) {
        if (in == null) throw bad("docker", "docker: {host, ca, cert, key} is needed");
        String host = in.host() == null ? "" : in.host().strip();
        URI uri;
        try {
            uri = URI.create(host);
        } catch (IllegalArgumentException e) {
            throw bad("docker.host", "docker.host: not an address: " + host);
        }
        if ("unix".equals(uri.getScheme())) {
            if (uri.getPath() == null || !uri.getPath().startsWith("/")) throw bad("docker.host", "docker.host: unix:///absolute/path");
            return new NodeCommands.DockerAccess(host, blankToNull(in.ca()), blankToNull(in.cert()), blankToNull(in.key()));
        }
        if (!"tcp".equals(uri.getScheme()) || uri.getHost() == null || uri.getPort() < 1 || uri.getPort() > 65535
                || (uri.getPath() != null && !uri.getPath().isEmpty()))
            throw bad("docker.host", "docker.host: tcp://HOST:PORT (e.g. tcp://10.0.0.5:2376) or unix:///path, not '" + host + "'");
        certificate("docker.ca", in.ca());
        certificate("docker.cert", in.cert());
        if (in.key() == null || in.key().length() > MAX_PEM || !KEY.matcher(in.key()).find())
            throw bad("docker.key", "docker.key: the client's private key in PEM (-----BEGIN PRIVATE KEY-----) is needed for mutual TLS");
        return new NodeCommands.DockerAccess(host, in.ca(), in.cert(), in.key());
    }

    static List<String> labels(List<String> labels) {
        if (labels == null) return List.of();
        if (labels.size() > 20) throw bad("labels", "labels: at most 20");
        for (String l : labels) Names.requireName("labels", l);
        if (labels.contains(dev.lattice.workloads.Node.CONTROL_PLANE))
            throw bad("labels", "labels: a remote Docker server cannot be a control-plane node");
        return List.copyOf(labels);
    }

    private static void certificate(String field, String pem) {
        if (pem == null || pem.isBlank()) throw bad(field, field + ": a certificate in PEM is needed for mutual TLS");
        if (pem.length() > MAX_PEM) throw bad(field, field + ": at most " + MAX_PEM + " characters");
        try {
            if (CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))).isEmpty())
                throw bad(field, field + ": no certificate in it");
        } catch (CertificateException e) {
            // The parser's own words name its internals (exception classes), not the field's problem.
            throw bad(field, field + ": not a PEM certificate (-----BEGIN CERTIFICATE----- ... -----END CERTIFICATE-----)");
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static LatticeException bad(String field, String detail) {
        return LatticeException.badRequest("nodes:" + field, detail);
    }
}
