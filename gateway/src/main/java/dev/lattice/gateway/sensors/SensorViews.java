package dev.lattice.gateway.sensors;

import dev.lattice.api.sensors.ControllerCommand;
import dev.lattice.api.sensors.ControllerType;
import dev.lattice.api.sensors.Device;
import dev.lattice.api.sensors.DeviceTokens;
import dev.lattice.api.sensors.SensorType;
import dev.lattice.bus.Bus;
import dev.lattice.bus.state.StateView;
import dev.lattice.bus.state.Versioned;
import dev.lattice.core.LatticeException;
import dev.lattice.core.Principal;
import java.time.Duration;

/**
 * The gateway's read-only views of the sensors service's kinds: lists and filters are answered
 * from them without a round trip, and device tokens are checked against them.
 */
public record SensorViews(StateView<SensorType> sensorTypes, StateView<ControllerType> controllerTypes,
                          StateView<Device> sensors, StateView<Device> controllers,
                          StateView<ControllerCommand> commands) {

    public static SensorViews follow(Bus bus, Duration catchUp) {
        SensorViews v = new SensorViews(bus.view(SensorType.KIND, SensorType.class),
                bus.view(ControllerType.KIND, ControllerType.class),
                bus.view(Device.SENSOR_KIND, Device.class),
                bus.view(Device.CONTROLLER_KIND, Device.class),
                bus.view(ControllerCommand.KIND, ControllerCommand.class));
        for (var view : new StateView<?>[] {v.sensorTypes, v.controllerTypes, v.sensors, v.controllers, v.commands}) {
            view.awaitCaughtUp(catchUp);
        }
        return v;
    }

    public Device sensor(String id) {
        return sensors.get(id).map(Versioned::value).orElseThrow(() ->
                LatticeException.notFound("sensors:instance.not-found", "sensor instance '" + id + "' does not exist"));
    }

    public Device controller(String id) {
        return controllers.get(id).map(Versioned::value).orElseThrow(() ->
                LatticeException.notFound("sensors:instance.not-found", "controller instance '" + id + "' does not exist"));
    }

    /** A device token's principal: the instance it names, if the token's hash matches that instance's. */
    public Principal verifyDevice(String token) {
        return DeviceTokens.verify(sensors, controllers, token);
    }
}
