package dev.lattice.gateway.sensors;

import dev.lattice.gateway.http.Forwarding;
import dev.lattice.api.sensors.ControllerType;
import dev.lattice.api.sensors.Device;
import dev.lattice.api.sensors.InstanceQuery;
import dev.lattice.api.sensors.SensorCommands.CreateInstance;
import dev.lattice.api.sensors.SensorCommands.Delete;
import dev.lattice.api.sensors.SensorCommands;
import dev.lattice.api.sensors.SensorType;
import dev.lattice.bus.rpc.RequestClient;
import dev.lattice.bus.state.StateView;
import dev.lattice.bus.state.Versioned;
import dev.lattice.core.LatticeException;
import dev.lattice.core.Principal;
import dev.lattice.core.Role;
import dev.lattice.gateway.http.Access;
import dev.lattice.gateway.http.Bodies;
import dev.lattice.gateway.http.Paging;
import dev.lattice.gateway.http.Route;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;

/**
 * Types and instances of sensors and controllers: writes go to the sensors service (platform
 * configurer, admin), reads come from the views (any role). Bodies are checked here first, so
 * bad input never travels.
 */
public final class CatalogRoutes {
    private static final Access WRITE = Access.roles(Role.PLATFORM_CONFIGURER, Role.ADMIN);
    private static final String BASE = "/api/v1/";

    private final RequestClient client;
    private final SensorViews views;
    private final Bodies bodies;

    public CatalogRoutes(RequestClient client, SensorViews views, Bodies bodies) {
        this.client = client;
        this.views = views;
        this.bodies = bodies;
    }

    public List<Route> routes() {
        List<Route> routes = new ArrayList<>();
        routes.addAll(typeRoutes("sensor-types", SensorType.class, views.sensorTypes(),
                SensorCommands.CREATE_SENSOR_TYPE, SensorCommands.DELETE_SENSOR_TYPE));
        routes.addAll(typeRoutes("controller-types", ControllerType.class, views.controllerTypes(),
                SensorCommands.CREATE_CONTROLLER_TYPE, SensorCommands.DELETE_CONTROLLER_TYPE));
        routes.addAll(instanceRoutes("sensor-instances", views.sensors(), SensorCommands.CREATE_SENSOR, SensorCommands.DELETE_SENSOR));
        routes.addAll(instanceRoutes("controller-instances", views.controllers(), SensorCommands.CREATE_CONTROLLER,
                SensorCommands.DELETE_CONTROLLER));
        return routes;
    }

    private <T> List<Route> typeRoutes(String path, Class<T> type, StateView<T> view, String create, String delete) {
        String what = path.replace("-types", " type");
        return List.of(
                Route.post(BASE + path, WRITE, (ctx, p) -> {
                    T body = bodies.json(ctx, type);
                    ctx.status(201).json(client.call(SensorCommands.SERVICE, create, body, p, Forwarding.credential(ctx), type));
                }),
                Route.get(BASE + path, Access.ANY_ROLE, (ctx, p) -> ctx.json(Paging.page(ctx,
                        view.list().stream().map(Versioned::value).toList()))),
                Route.get(BASE + path + "/{name}", Access.ANY_ROLE, (ctx, p) -> ctx.json(view.get(ctx.pathParam("name"))
                        .map(Versioned::value).orElseThrow(() -> notFound(what, ctx.pathParam("name"))))),
                Route.delete(BASE + path + "/{name}", WRITE, (ctx, p) -> {
                    client.call(SensorCommands.SERVICE, delete, new Delete(ctx.pathParam("name")), p, Forwarding.credential(ctx), Void.class);
                    ctx.status(204);
                }));
    }

    private List<Route> instanceRoutes(String path, StateView<Device> view, String create, String delete) {
        String what = path.replace("-instances", " instance");
        return List.of(
                Route.post(BASE + path, WRITE, (ctx, p) -> create(ctx, p, create)),
                Route.get(BASE + path, Access.ANY_ROLE, (ctx, p) -> {
                    InstanceQuery q = InstanceQuery.parse(ctx::queryParam, ctx.queryParamMap());
                    ctx.json(Paging.page(ctx, q.apply(view.list().stream().map(Versioned::value))
                            .stream().map(Device::view).toList()));
                }),
                Route.get(BASE + path + "/{id}", Access.ANY_ROLE, (ctx, p) -> ctx.json(view.get(ctx.pathParam("id"))
                        .map(v -> v.value().view()).orElseThrow(() -> notFound(what, ctx.pathParam("id"))))),
                Route.delete(BASE + path + "/{id}", WRITE, (ctx, p) -> {
                    client.call(SensorCommands.SERVICE, delete, new Delete(ctx.pathParam("id")), p, Forwarding.credential(ctx), Void.class);
                    ctx.status(204);
                }));
    }

    private void create(Context ctx, Principal p, String command) {
        CreateInstance body = bodies.json(ctx, CreateInstance.class);
        Device.View created = client.call(SensorCommands.SERVICE, command, body, p, Forwarding.credential(ctx), Device.View.class);
        ctx.status(201).header("Location", ctx.path() + "/" + created.id()).json(created);
    }

    private static LatticeException notFound(String what, String name) {
        return LatticeException.notFound("sensors:not-found", what + " '" + name + "' does not exist");
    }
}
