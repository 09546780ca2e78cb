package dev.lattice.gateway.sensors;

import dev.lattice.gateway.http.Forwarding;
import com.fasterxml.jackson.databind.JsonNode;
import dev.lattice.api.sensors.ControllerCommand;
import dev.lattice.api.sensors.Device;
import dev.lattice.api.sensors.SensorCommands.CommandAccepted;
import dev.lattice.api.sensors.SensorCommands.SendCommand;
import dev.lattice.api.sensors.SensorCommands;
import dev.lattice.bus.rpc.RequestClient;
import dev.lattice.bus.state.Versioned;
import dev.lattice.core.AppScope;
import dev.lattice.core.Principal;
import dev.lattice.gateway.http.Access;
import dev.lattice.gateway.http.Bodies;
import dev.lattice.gateway.http.Paging;
import dev.lattice.gateway.http.Route;
import io.javalin.http.Context;
import java.util.Comparator;
import java.util.List;

/** Commands to controllers: sent through the sensors service, listed newest first with their status. */
public final class CommandRoutes {
    private static final String PATH = "/api/v1/controller-instances/{id}/commands";

    private final RequestClient client;
    private final SensorViews views;
    private final Bodies bodies;

    public CommandRoutes(RequestClient client, SensorViews views, Bodies bodies) {
        this.client = client;
        this.views = views;
        this.bodies = bodies;
    }

    /** What a command is sent with: {@code {"command","params"}}. */
    record CommandBody(String command, JsonNode params) {}

    public List<Route> routes() {
        return List.of(
                Route.post(PATH, Access.ANY_ROLE.orApp(AppScope.Target.CONTROLLER, "id"), this::send),
                Route.get(PATH, Access.ANY_ROLE, this::list));
    }

    void send(Context ctx, Principal principal) {
        Device controller = views.controller(ctx.pathParam("id"));
        CommandBody body = bodies.json(ctx, CommandBody.class);
        CommandAccepted accepted = client.call(SensorCommands.SERVICE, SensorCommands.SEND_COMMAND,
                new SendCommand(controller.id(), body.command(), body.params()), principal, Forwarding.credential(ctx), CommandAccepted.class);
        ctx.status(202).json(accepted);
    }

    void list(Context ctx, Principal principal) {
        Device controller = views.controller(ctx.pathParam("id"));
        ctx.json(Paging.page(ctx, views.commands().list().stream().map(Versioned::value)
                .filter(c -> c.controller().equals(controller.id()))
                .sorted(Comparator.comparing(ControllerCommand::sentAt).reversed())
                .toList()));
    }
}
