package dev.lattice.mqtt.internal;

import com.hivemq.extension.sdk.api.interceptor.puback.PubackInboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.puback.parameter.PubackInboundInput;
import com.hivemq.extension.sdk.api.interceptor.puback.parameter.PubackInboundOutput;
import com.hivemq.extension.sdk.api.interceptor.publish.PublishOutboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishOutboundInput;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishOutboundOutput;
import com.hivemq.extension.sdk.api.packets.general.Qos;
import com.hivemq.extension.sdk.api.packets.publish.AckReasonCode;
import com.hivemq.extension.sdk.api.packets.publish.PublishPacket;
import java.util.Optional;

/**
 * Feeds {@link Deliveries} from the broker: outbound PUBLISH packets that carry a delivery id
 * (the id is stripped so devices never see it) and the subscribers' PUBACKs.
 */
public final class CommandDeliveries implements PublishOutboundInterceptor, PubackInboundInterceptor {
    private final Deliveries deliveries;

    public CommandDeliveries(Deliveries deliveries) {
        this.deliveries = deliveries;
    }

    @Override
    public void onOutboundPublish(PublishOutboundInput input, PublishOutboundOutput output) {
        PublishPacket publish = input.getPublishPacket();
        Optional<String> id = publish.getUserProperties().getFirst(Deliveries.PROPERTY);
        if (id.isEmpty()) return;
        output.getPublishPacket().getUserProperties().removeName(Deliveries.PROPERTY);
        deliveries.sending(id.get(), input.getClientInformation().getClientId(), publish.getPacketId(),
                publish.getQos() != Qos.AT_MOST_ONCE);
    }

    @Override
    public void onInboundPuback(PubackInboundInput input, PubackInboundOutput output) {
        AckReasonCode reason = input.getPubackPacket().getReasonCode();
        boolean accepted = reason == AckReasonCode.SUCCESS || reason == AckReasonCode.NO_MATCHING_SUBSCRIBERS;
        deliveries.acknowledged(input.getClientInformation().getClientId(),
                input.getPubackPacket().getPacketIdentifier(), accepted);
    }
}
