package dev.lattice.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lattice.sdk.EventStreamParser.Event;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventStreamParserTest {
    private static List<Event> parse(String stream) {
        EventStreamParser parser = new EventStreamParser();
        List<Event> events = new ArrayList<>();
        // BufferedReader's idea of a line (\n, \r or \r\n) is the event stream's.
        stream.lines().forEach(line -> {
            Event e = parser.line(line);
            if (e != null) events.add(e);
        });
        Event last = parser.line("");
        if (last != null && stream.endsWith("\n\n")) throw new AssertionError("an event was dispatched twice");
        return events;
    }

    @Test
    void readsTheGatewaysFrames() {
        String stream = ": stream of reading events\n\n"
                + "event: reading\ndata: {\"ts\":\"2026-03-01T10:00:00Z\",\"values\":{\"t\":1}}\n\n"
                + ": keep-alive\n\n"
                + "event: reading\ndata: {\"ts\":\"2026-03-01T10:00:01Z\",\"values\":{\"t\":2}}\n\n";
        assertThat(parse(stream)).containsExactly(
                new Event("reading", "{\"ts\":\"2026-03-01T10:00:00Z\",\"values\":{\"t\":1}}"),
                new Event("reading", "{\"ts\":\"2026-03-01T10:00:01Z\",\"values\":{\"t\":2}}"));
    }

    @Test
    void joinsDataLinesAndDefaultsTheType() {
        assertThat(parse("data: first\ndata:second\ndata\n\n")).containsExactly(new Event("message", "first\nsecond\n"));
    }

    @Test
    void handlesEveryLineEnding() {
        assertThat(parse("event: reading\r\ndata: a\r\n\r\ndata: b\r\rdata: c\n\n")).containsExactly(
                new Event("reading", "a"), new Event("message", "b"), new Event("message", "c"));
    }

    @Test
    void dropsOnlyOneSpaceAfterTheColonAndIgnoresOtherFields() {
        assertThat(parse("\uFEFFid: 7\nretry: 100\nfoo: bar\ndata:  two spaces\n\n")).containsExactly(new Event("message", " two spaces"));
    }

    @Test
    void skipsEventsWithoutDataAndResetsTheTypeAfterEach() {
        assertThat(parse("event: reading\n\ndata: x\n\n")).containsExactly(new Event("message", "x"));
    }

    @Test
    void doesNotDispatchAnUnfinishedEvent() {
        EventStreamParser parser = new EventStreamParser();
        assertThat(parser.line("event: reading")).isNull();
        assertThat(parser.line("data: {}")).isNull();
    }
}
