package dev.lattice.mqtt;

/**
 * Decides whether a device may connect: its MQTT username is its instance id, its password the
 * device token it was given at creation.
 *
 * <p>Called once per CONNECT on a virtual thread of the broker's own, never on its network
 * threads, so it may block briefly (a hash check, a lookup); a connection whose check takes
 * longer than 10 s is refused. Must be thread-safe: several devices may connect at once. An
 * exception counts as a refusal.
 */
@FunctionalInterface
public interface DeviceAuthenticator {

    /**
     * @param clientId the MQTT client identifier the device chose (not trusted for anything)
     * @param username the instance id; never null, empty or containing {@code / + #}
     *                 (the broker refuses those before asking)
     * @param password the device token as sent; never null (a CONNECT without one is refused)
     * @return true to let the device in with the rights of {@code username}
     */
    boolean authenticate(String clientId, String username, byte[] password);
}
