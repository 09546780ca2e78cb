package dev.lattice.agent.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends a container's output (stdout and stderr, as the engine's log stream gives it) to the
 * workload's log file, so it outlives the container and accumulates across restarts like a
 * process's output. The stream ends by itself when the container stops. Runs on the docker-java
 * thread of its stream.
 */
final class LogFollower extends ResultCallback.Adapter<Frame> {
    private static final Logger log = LoggerFactory.getLogger(LogFollower.class);

    private final OutputStream out;
    private final String containerId;
    /** When adopting: output from before this instant is already in the file (an earlier agent wrote it). */
    private final Instant notBefore;
    private final CountDownLatch ended = new CountDownLatch(1);
    private final Object lock = new Object();
    private boolean done;

    private LogFollower(OutputStream out, String containerId, Instant notBefore) {
        this.out = out;
        this.containerId = containerId;
        this.notBefore = notBefore;
    }

    /**
     * Follows the container's output into {@code logFile}: all of it, or with {@code from} set
     * only what it writes from then on. The engine's {@code since} has whole seconds only, so
     * that case asks for timestamps and drops the lines stamped earlier.
     */
    static LogFollower follow(DockerClient docker, String containerId, Path logFile, Instant from) throws IOException {
        var follower = new LogFollower(new FileOutputStream(logFile.toFile(), true), containerId, from);
        var cmd = docker.logContainerCmd(containerId).withFollowStream(true).withStdOut(true).withStdErr(true);
        if (from != null) cmd.withTimestamps(true).withSince((int) from.getEpochSecond());
        try {
            cmd.exec(follower);
        } catch (RuntimeException e) {
            follower.finish();
            throw new IOException("docker: could not follow the output of container " + containerId + ": " + e.getMessage(), e);
        }
        return follower;
    }

    @Override
    public void onNext(Frame frame) {
        byte[] payload = frame.getPayload();
        if (payload == null || payload.length == 0) return;
        synchronized (lock) {
            if (done) return;
            try {
                if (notBefore == null) {
                    out.write(payload);
                } else {
                    writeIfNew(payload);
                }
            } catch (IOException e) {
                log.warn("Cannot write the output of container {} to its log file: {}", containerId, e.toString());
            }
        }
    }

    /** A timestamped message: "2026-11-25T14:01:41.849815255Z text". */
    private void writeIfNew(byte[] payload) throws IOException {
        int space = 0;
        while (space < payload.length && space < 40 && payload[space] != ' ') space++;
        try {
            Instant at = Instant.parse(new String(payload, 0, space, StandardCharsets.US_ASCII));
            if (!at.isBefore(notBefore)) out.write(payload, space + 1, payload.length - space - 1);
        } catch (DateTimeParseException | IndexOutOfBoundsException notStamped) {
            out.write(payload);
        }
    }

    /** Not the template's: it logs every error at ERROR, including the one that closing the stream causes. */
    @Override
    public void onError(Throwable t) {
        // An engine restart or the runtime's close: the container may still run; what was written stays.
        log.debug("Output stream of container {} ended: {}", containerId, t.toString());
        finish();
        closeStream();
    }

    @Override
    public void onComplete() {
        finish();
        closeStream();
    }

    private void finish() {
        synchronized (lock) {
            if (done) return;
            done = true;
            try {
                out.close();
            } catch (IOException ignored) {
                // nothing buffered: every frame was written as it came
            }
        }
        ended.countDown();
    }

    private void closeStream() {
        try {
            close();
        } catch (IOException ignored) {
            // the stream is gone either way
        }
    }

    /** Waits until the output is all in the file (the stream ended), at most {@code timeout}. */
    boolean awaitEnd(Duration timeout) {
        try {
            return ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Stops following (the runtime is closing); the container keeps running. */
    void stop() {
        closeStream();
        finish();
    }
}
