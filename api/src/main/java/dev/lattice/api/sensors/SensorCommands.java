package dev.lattice.api.sensors;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lattice.core.LatticeException;
import dev.lattice.core.Names;
import java.util.Map;
import java.util.regex.Pattern;

/** The commands the sensors service answers on {@code lattice.requests.sensors}, and their messages. */
public final class SensorCommands {
    public static final String SERVICE = "sensors";
    public static final String CREATE_SENSOR_TYPE = "create-sensor-type";
    public static final String DELETE_SENSOR_TYPE = "delete-sensor-type";
    public static final String CREATE_CONTROLLER_TYPE = "create-controller-type";
    public static final String DELETE_CONTROLLER_TYPE = "delete-controller-type";
    public static final String CREATE_SENSOR = "create-sensor-instance";
    public static final String DELETE_SENSOR = "delete-sensor-instance";
    public static final String CREATE_CONTROLLER = "create-controller-instance";
    public static final String DELETE_CONTROLLER = "delete-controller-instance";
    public static final String SEND_COMMAND = "send-command";

    private static final Pattern ATTRIBUTE = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    private SensorCommands() {}

    /** Names the object a delete acts on. */
    public record Delete(String name) {
        public Delete {
            Names.requirePresent("name", name);
        }
    }

    /** {@code POST /api/v1/sensor-instances} and controller instances. */
    public record CreateInstance(String type, String name, Location location, Map<String, Object> attributes, Simulator simulator) {
        public CreateInstance {
            Names.requireName("type", type);
            if (name != null) Names.requireName("name", name);
            Names.requirePresent("location", location);
            attributes = attributes == null ? Map.of() : attributes;
            if (attributes.size() > 64) throw LatticeException.badRequest("sensors:attributes.many", "attributes: at most 64");
            for (var e : attributes.entrySet()) {
                if (!ATTRIBUTE.matcher(e.getKey()).matches()) {
                    throw LatticeException.badRequest("sensors:attributes.key", "attributes." + e.getKey()
                            + ": keys are 1-64 letters, digits, '_', '.' or '-'");
                }
                Object v = e.getValue();
                if (!(v instanceof String || v instanceof Number || v instanceof Boolean)) {
                    throw LatticeException.badRequest("sensors:attributes.value", "attributes." + e.getKey() + ": must be a string, number or boolean");
                }
                if (v instanceof String s && s.length() > 256) {
                    throw LatticeException.badRequest("sensors:attributes.value", "attributes." + e.getKey() + ": at most 256 characters");
                }
            }
        }
    }

    /** {@code POST /api/v1/controller-instances/{id}/commands}. */
    public record SendCommand(String controller, String command, JsonNode params) {
        public SendCommand {
            Names.requirePresent("controller", controller);
            Names.requirePresent("command", command);
        }
    }

    public record CommandAccepted(String commandId) {}
}
