package dev.lattice.gateway.http;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Server-sent events on the request's own (virtual) thread: the handler blocks, writing each
 * event as it comes and a comment every {@link #KEEP_ALIVE} so idle connections stay open, until
 * the client goes away. Unlike Javalin's SSE handler it does not require an {@code Accept}
 * header, so {@code curl} streams too.
 */
public final class EventStream {
    static final Duration KEEP_ALIVE = Duration.ofSeconds(15);
    private static final int MAX_QUEUED = 10_000;

    private EventStream() {}

    /**
     * Streams events named {@code event}; {@code subscribe} is given a sink for event data and
     * returns the action that unsubscribes it.
     */
    public static void serve(Context ctx, String event, Function<Consumer<String>, Runnable> subscribe) throws IOException {
        BlockingQueue<String> queue = new LinkedBlockingQueue<>(MAX_QUEUED);
        ctx.res().setStatus(200);
        ctx.res().setCharacterEncoding("UTF-8");
        ctx.res().setContentType("text/event-stream");
        ctx.res().setHeader("Cache-Control", "no-cache");
        ctx.res().setHeader("X-Accel-Buffering", "no");
        OutputStream out = ctx.res().getOutputStream();
        // A slow client loses the oldest events rather than holding memory without bound.
        Runnable unsubscribe = subscribe.apply(data -> {
            while (!queue.offer(data)) queue.poll();
        });
        try {
            out.write((": stream of " + event + " events\n\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            while (!Thread.currentThread().isInterrupted()) {
                String data = queue.poll(KEEP_ALIVE.toMillis(), TimeUnit.MILLISECONDS);
                String frame = data == null ? ": keep-alive\n\n" : "event: " + event + "\ndata: " + data + "\n\n";
                out.write(frame.getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // the client went away (or the server is stopping): nothing more to send
        } finally {
            unsubscribe.run();
        }
    }
}
