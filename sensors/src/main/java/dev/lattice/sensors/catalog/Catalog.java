package dev.lattice.sensors.catalog;

import dev.lattice.api.sensors.ControllerType;
import dev.lattice.api.sensors.Device;
import dev.lattice.api.sensors.DeviceTokens;
import dev.lattice.api.sensors.SensorCommands.CreateInstance;
import dev.lattice.api.sensors.SensorCommands.Delete;
import dev.lattice.api.sensors.SensorCommands;
import dev.lattice.api.sensors.SensorType;
import dev.lattice.bus.rpc.Handler;
import dev.lattice.bus.rpc.Request;
import dev.lattice.bus.state.StateOwner;
import dev.lattice.bus.state.Versioned;
import dev.lattice.core.LatticeException;
import dev.lattice.core.Role;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the four catalogue kinds and answers their create and delete commands. All four live in
 * one service so that "no instance of a deleted type" is checked against one consistent view.
 */
public final class Catalog {
    private static final Logger log = LoggerFactory.getLogger(Catalog.class);
    private static final String ID_CHARS = "abcdefghjkmnpqrstuvwxyz23456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final StateOwner<SensorType> sensorTypes;
    private final StateOwner<ControllerType> controllerTypes;
    private final StateOwner<Device> sensors;
    private final StateOwner<Device> controllers;
    private final Clock clock;

    public Catalog(StateOwner<SensorType> sensorTypes, StateOwner<ControllerType> controllerTypes,
                   StateOwner<Device> sensors, StateOwner<Device> controllers, Clock clock) {
        this.sensorTypes = sensorTypes;
        this.controllerTypes = controllerTypes;
        this.sensors = sensors;
        this.controllers = controllers;
        this.clock = clock;
    }

    public Map<String, Handler> handlers() {
        return Map.of(
                SensorCommands.CREATE_SENSOR_TYPE, r -> createType(r, sensorTypes, SensorType.class, SensorType::name),
                SensorCommands.CREATE_CONTROLLER_TYPE, r -> createType(r, controllerTypes, ControllerType.class, ControllerType::name),
                SensorCommands.DELETE_SENSOR_TYPE, r -> deleteType(r, sensorTypes, sensors, "sensor"),
                SensorCommands.DELETE_CONTROLLER_TYPE, r -> deleteType(r, controllerTypes, controllers, "controller"),
                SensorCommands.CREATE_SENSOR, r -> createSensor(r),
                SensorCommands.CREATE_CONTROLLER, r -> createController(r),
                SensorCommands.DELETE_SENSOR, r -> deleteInstance(r, sensors, "sensor"),
                SensorCommands.DELETE_CONTROLLER, r -> deleteInstance(r, controllers, "controller"));
    }

    private static void requireWriter(Request r) {
        r.require(Role.PLATFORM_CONFIGURER, Role.ADMIN);
    }

    private <T> T createType(Request r, StateOwner<T> owner, Class<T> cls, java.util.function.Function<T, String> nameOf) {
        requireWriter(r);
        T type = r.payload(cls);
        String name = nameOf.apply(type);
        if (owner.view().get(name).isPresent()) throw taken(owner.view().kind(), name);
        owner.create(name, type, r.principal().name());
        log.info("{} {} created by {}", owner.view().kind(), name, r.principal().name());
        return type;
    }

    private <T> Object deleteType(Request r, StateOwner<T> types, StateOwner<Device> instances, String what) {
        requireWriter(r);
        String name = r.payload(Delete.class).name();
        Versioned<T> type = types.view().get(name).orElseThrow(() ->
                LatticeException.notFound("sensors:type.not-found", what + " type '" + name + "' does not exist"));
        long inUse = instances.view().list().stream().filter(d -> d.value().type().equals(name)).count();
        if (inUse > 0) {
            throw LatticeException.conflict("sensors:type.in-use", what + " type '" + name + "' still has " + inUse
                    + " instance(s): delete them first");
        }
        types.delete(name, type.version(), r.principal().name());
        return null;
    }

    private Device.View createSensor(Request r) {
        requireWriter(r);
        CreateInstance c = r.payload(CreateInstance.class);
        SensorType type = sensorTypes.view().get(c.type()).map(Versioned::value).orElseThrow(() ->
                LatticeException.badRequest("sensors:type.unknown", "type: there is no sensor type '" + c.type() + "'"));
        if (c.simulator() != null) c.simulator().checkAgainst(type);
        return createInstance(r, c, sensors);
    }

    private Device.View createController(Request r) {
        requireWriter(r);
        CreateInstance c = r.payload(CreateInstance.class);
        if (controllerTypes.view().get(c.type()).isEmpty()) {
            throw LatticeException.badRequest("sensors:type.unknown", "type: there is no controller type '" + c.type() + "'");
        }
        if (c.simulator() != null) {
            throw LatticeException.badRequest("sensors:simulator.controller", "simulator: only sensors have simulators");
        }
        return createInstance(r, c, controllers);
    }

    private Device.View createInstance(Request r, CreateInstance c, StateOwner<Device> owner) {
        String id = c.name() != null ? c.name() : newId(owner);
        // Sensors and controllers share one id space: the id is the device's MQTT user name.
        if (sensors.view().get(id).isPresent() || controllers.view().get(id).isPresent()) throw taken("instance", id);
        String token = DeviceTokens.newToken(id);
        Device device = new Device(id, c.type(), c.location(), c.attributes(), c.simulator(), DeviceTokens.hash(token),
                clock.instant(), r.principal().name());
        try {
            owner.create(id, device, r.principal().name());
        } catch (LatticeException e) {
            throw e.status() == 409 ? taken(owner.view().kind(), id) : e;
        }
        log.info("{} {} of type {} created by {}", owner.view().kind(), id, c.type(), r.principal().name());
        Device.View v = device.view();
        return new Device.View(v.id(), v.type(), v.location(), v.attributes(), v.simulator(), v.createdAt(), token);
    }

    private Object deleteInstance(Request r, StateOwner<Device> owner, String what) {
        requireWriter(r);
        String id = r.payload(Delete.class).name();
        Versioned<Device> d = owner.view().get(id).orElseThrow(() ->
                LatticeException.notFound("sensors:instance.not-found", what + " instance '" + id + "' does not exist"));
        owner.delete(id, d.version(), r.principal().name());
        return null;
    }

    private String newId(StateOwner<Device> owner) {
        String prefix = owner.view().kind().startsWith("sensor") ? "s-" : "c-";
        while (true) {
            StringBuilder b = new StringBuilder(prefix);
            for (int i = 0; i < 10; i++) b.append(ID_CHARS.charAt(RANDOM.nextInt(ID_CHARS.length())));
            if (sensors.view().get(b.toString()).isEmpty() && controllers.view().get(b.toString()).isEmpty()) return b.toString();
        }
    }

    private static LatticeException taken(String kind, String name) {
        return LatticeException.conflict("sensors:name.taken", "name: " + kind + " '" + name + "' already exists");
    }
}
