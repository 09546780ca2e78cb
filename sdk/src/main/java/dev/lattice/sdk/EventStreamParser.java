package dev.lattice.sdk;

/**
 * Turns the lines of a {@code text/event-stream} into events, as the HTML standard's
 * "interpreting an event stream" says: {@code field: value} lines (one space after the colon is
 * dropped), {@code data} lines joined with newlines, comments ({@code :...}) ignored, and an
 * event dispatched at each blank line if it has data. {@code id} and {@code retry} are read past:
 * the gateway sends neither and a reconnect starts afresh. Not thread-safe: one per connection.
 * Public so that every Lattice client (the SDK's streams, the CLI's {@code --follow}) reads
 * streams by the same rules.
 */
public final class EventStreamParser {
    /** One dispatched event: its type ({@code message} unless named) and its data. */
    public record Event(String type, String data) {}

    private final StringBuilder data = new StringBuilder();
    private String type = "";
    private boolean hasData;
    private boolean first = true;

    /**
     * Feeds one line, without its line ending.
     *
     * @return the event this line completes, or null
     */
    public Event line(String line) {
        if (first) {
            first = false;
            if (line.startsWith("\uFEFF")) line = line.substring(1);
        }
        if (line.isEmpty()) return dispatch();
        if (line.startsWith(":")) return null;
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        if (value.startsWith(" ")) value = value.substring(1);
        switch (field) {
            case "event" -> type = value;
            case "data" -> {
                if (hasData) data.append('\n');
                data.append(value);
                hasData = true;
            }
            default -> {
                // id, retry and unknown fields: nothing to keep
            }
        }
        return null;
    }

    private Event dispatch() {
        Event event = hasData ? new Event(type.isEmpty() ? "message" : type, data.toString()) : null;
        data.setLength(0);
        type = "";
        hasData = false;
        return event;
    }
}
