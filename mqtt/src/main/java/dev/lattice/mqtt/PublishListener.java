package dev.lattice.mqtt;

/**
 * Receives what devices publish on their own topics: {@code sensors/{id}} and
 * {@code controllers/{id}/acks}, where {@code id} is the authenticated username.
 *
 * <p>Called on one of the broker's worker threads (not a network thread), in order for each
 * client, before the broker acknowledges a QoS 1 publish; keep it short (hand the payload on,
 * e.g. to an asynchronous Kafka producer). Publishes to any other topic are refused by the broker
 * and never reach the listener. An exception is logged and the publish is still acknowledged.
 * Must be thread-safe: different clients are served by different threads.
 */
@FunctionalInterface
public interface PublishListener {

    /**
     * @param username the authenticated instance id of the publisher
     * @param topic    {@code sensors/{username}} or {@code controllers/{username}/acks}
     * @param payload  the message body as sent (a fresh copy the listener may keep)
     */
    void published(String username, String topic, byte[] payload);
}
