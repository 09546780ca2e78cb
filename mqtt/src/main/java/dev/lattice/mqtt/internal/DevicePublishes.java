package dev.lattice.mqtt.internal;

import com.hivemq.extension.sdk.api.interceptor.publish.PublishInboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundInput;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundOutput;
import com.hivemq.extension.sdk.api.packets.publish.PublishPacket;
import dev.lattice.mqtt.DeviceTopics;
import dev.lattice.mqtt.PublishListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands each device publish on its own topics to the {@link PublishListener}.
 *
 * <p>HiveMQ calls inbound interceptors before it checks topic permissions, so the same rule is
 * applied here: a publish the permissions will refuse never reaches the listener, and goes on to
 * HiveMQ's check, which answers NOT_AUTHORIZED.
 *
 * <p>A publish the listener took goes no further in the broker: no client may subscribe to a
 * device's readings or acks topics (only to its own commands), so routing it through the topic
 * tree, and storing it when it is retained, is work for no one. The device still gets its PUBACK
 * (SUCCESS).
 */
public final class DevicePublishes implements PublishInboundInterceptor {
    private static final Logger log = LoggerFactory.getLogger(DevicePublishes.class);
    private static final byte[] EMPTY = new byte[0];

    private final PublishListener listener;

    public DevicePublishes(PublishListener listener) {
        this.listener = listener;
    }

    @Override
    public void onInboundPublish(PublishInboundInput input, PublishInboundOutput output) {
        String username = input.getConnectionInformation().getConnectionAttributeStore()
                .getAsString(DeviceAuthentication.USERNAME_ATTRIBUTE).orElse(null);
        PublishPacket publish = input.getPublishPacket();
        String topic = publish.getTopic();
        if (username == null || !DeviceTopics.mayPublish(username, topic)) return;
        byte[] payload = publish.getPayload().map(DeviceAuthentication::bytes).orElse(EMPTY);
        output.preventPublishDelivery();
        try {
            listener.published(username, topic, payload);
        } catch (RuntimeException e) {
            log.warn("MQTT publish listener failed on {} from {}", topic, username, e);
        }
    }

}
