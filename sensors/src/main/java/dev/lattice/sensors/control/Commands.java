package dev.lattice.sensors.control;

import dev.lattice.api.sensors.CommandSpec;
import dev.lattice.api.sensors.ControllerCommand.Status;
import dev.lattice.api.sensors.ControllerCommand;
import dev.lattice.api.sensors.ControllerType;
import dev.lattice.api.sensors.Device;
import dev.lattice.api.sensors.ReadingValidator;
import dev.lattice.api.sensors.SensorCommands.CommandAccepted;
import dev.lattice.api.sensors.SensorCommands.SendCommand;
import dev.lattice.api.sensors.SensorCommands;
import dev.lattice.bus.rpc.Handler;
import dev.lattice.bus.rpc.Request;
import dev.lattice.bus.state.StateOwner;
import dev.lattice.bus.state.StateView;
import dev.lattice.bus.state.Versioned;
import dev.lattice.core.Json;
import dev.lattice.core.LatticeException;
import dev.lattice.workloads.Events;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends commands to controllers and tracks them: recorded as {@code sent}, {@code delivered} once
 * a connected device has received it, {@code acknowledged} when the device says so, or
 * {@code failed} when no device received it within the delivery timeout (default 30 s). Until
 * then delivery is retried every {@link #RETRY}, so a device that connects late still gets it.
 */
public final class Commands implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Commands.class);
    static final Duration RETRY = Duration.ofSeconds(2);

    private final StateOwner<ControllerCommand> commands;
    private final StateView<Device> controllers;
    private final StateView<ControllerType> types;
    private final AppGrants apps;
    private final CommandChannel channel;
    private final Duration timeout;
    private final Clock clock;
    private final MeterRegistry metrics;
    private final Events events;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name("commands").unstarted(r));

    public Commands(StateOwner<ControllerCommand> commands, StateView<Device> controllers, StateView<ControllerType> types,
                    AppGrants apps, CommandChannel channel, Duration timeout, Clock clock, MeterRegistry metrics,
                    Events events) {
        this.apps = apps;
        this.events = events;
        this.metrics = metrics;
        this.commands = commands;
        this.controllers = controllers;
        this.types = types;
        this.channel = channel;
        this.timeout = timeout;
        this.clock = clock;
        // Commands left in flight by an earlier run: retry those still within their time, fail the rest.
        for (var c : commands.view().list()) {
            if (c.value().status() == Status.SENT) timer.execute(() -> attempt(c.value()));
        }
    }

    public Map<String, Handler> handlers() {
        return Map.of(SensorCommands.SEND_COMMAND, this::send);
    }

    CommandAccepted send(Request r) {
        // Every role may command a controller (issue 3: the command form is there for every role).
        SendCommand s = r.payload(SendCommand.class);
        if (r.principal().kind() == dev.lattice.core.Principal.Kind.APP) apps.requireController(r.principal(), s.controller());
        else r.require(dev.lattice.core.Role.values());
        Device controller = controllers.get(s.controller()).map(Versioned::value).orElseThrow(() ->
                LatticeException.notFound("sensors:instance.not-found", "controller instance '" + s.controller() + "' does not exist"));
        ControllerType type = types.get(controller.type()).map(Versioned::value).orElseThrow(() ->
                LatticeException.conflict("sensors:type.missing", "controller type '" + controller.type() + "' is gone"));
        CommandSpec spec = type.command(s.command()).orElseThrow(() -> LatticeException.badRequest("sensors:command.unknown",
                "command: '" + s.command() + "' is not a command of controller type '" + type.name() + "'"));
        var params = ReadingValidator.params(spec, s.params());
        Instant now = clock.instant();
        ControllerCommand c = new ControllerCommand(UUID.randomUUID().toString(), controller.id(), spec.name(), params,
                Status.SENT, now, now, r.principal().name(), null);
        commands.create(c.commandId(), c, r.principal().name());
        count(Status.SENT);
        timer.execute(() -> attempt(c));
        return new CommandAccepted(c.commandId());
    }

    /** A device acknowledged a command; ignored unless the command is this controller's. */
    public void acknowledge(String controllerId, String commandId) {
        // A device's ack also proves delivery, so it may come straight after "sent"; a command that has
        // already failed (or been acknowledged) stays as it is.
        transition(commandId, c -> c.controller().equals(controllerId) && !c.status().isFinal()
                ? c.with(Status.ACKNOWLEDGED, clock.instant(), null) : null);
    }

    private void attempt(ControllerCommand c) {
        Duration left = Duration.between(clock.instant(), c.sentAt().plus(timeout));
        if (left.isNegative() || left.isZero()) {
            transition(c.commandId(), cur -> cur.status() == Status.SENT
                    ? cur.with(Status.FAILED, clock.instant(), "no device received it within " + timeout.toSeconds() + " s") : null);
            return;
        }
        byte[] payload = Json.bytes(Map.of("commandId", c.commandId(), "command", c.command(), "params", c.params()));
        Duration wait = left.compareTo(RETRY) < 0 ? left : RETRY;
        channel.deliver(c.controller(), payload, wait).whenComplete((delivered, error) -> {
            if (Boolean.TRUE.equals(delivered)) {
                transition(c.commandId(), cur -> cur.status() == Status.SENT ? cur.with(Status.DELIVERED, clock.instant(), null) : null);
            } else {
                long delay = Math.max(0, wait.toMillis() - 50);
                timer.schedule(() -> attempt(c), delay, TimeUnit.MILLISECONDS);
            }
        });
    }

    /** Applies {@code change} (null = no change) with optimistic retries. */
    private void transition(String commandId, UnaryOperator<ControllerCommand> change) {
        for (int i = 0; i < 5; i++) {
            Versioned<ControllerCommand> cur = commands.view().get(commandId).orElse(null);
            if (cur == null) return;
            ControllerCommand next = change.apply(cur.value());
            if (next == null) return;
            try {
                commands.update(commandId, cur.version(), next, "sensors");
                count(next.status());
                if (next.status() == Status.FAILED) {
                    events.publish("command-failed", "controller/" + next.controller(),
                            "command " + next.command() + " (" + commandId + "): " + next.detail());
                }
                return;
            } catch (LatticeException e) {
                if (e.status() != 409) {
                    log.warn("cannot record command {} as {}: {}", commandId, next.status(), e.getMessage());
                    return;
                }
            }
        }
    }

    /** {@code lattice_commands_total{status}}: commands sent, and each later status they reached. */
    private void count(Status status) {
        Counter.builder("lattice.commands").description("controller commands by the status they reached")
                .tag("status", status.name()).register(metrics).increment();
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
