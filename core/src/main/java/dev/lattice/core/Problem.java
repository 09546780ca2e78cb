package dev.lattice.core;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An RFC 9457 problem: what the gateway answers on every failure and what a service sends
 * back over the bus instead of a reply. {@code code} is Lattice's stable error code.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String code, String instance) {

    public static Problem of(int status, String code, String detail) {
        return new Problem("about:blank", titleFor(status), status, detail, code, null);
    }

    public Problem withInstance(String path) {
        return new Problem(type, title, status, detail, code, path);
    }

    static String titleFor(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 409 -> "Conflict";
            case 413 -> "Content Too Large";
            case 415 -> "Unsupported Media Type";
            case 431 -> "Request Header Fields Too Large";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> status >= 500 ? "Internal Server Error" : "Error";
        };
    }
}
