package dev.lattice.mqtt.internal;

import com.hivemq.extension.sdk.api.async.Async;
import com.hivemq.extension.sdk.api.async.TimeoutFallback;
import com.hivemq.extension.sdk.api.auth.SimpleAuthenticator;
import com.hivemq.extension.sdk.api.packets.auth.ModifiableDefaultPermissions;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthInput;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthOutput;
import com.hivemq.extension.sdk.api.auth.parameter.TopicPermission;
import com.hivemq.extension.sdk.api.packets.auth.DefaultAuthorizationBehaviour;
import com.hivemq.extension.sdk.api.packets.connect.ConnackReasonCode;
import com.hivemq.extension.sdk.api.packets.connect.ConnectPacket;
import com.hivemq.extension.sdk.api.services.builder.Builders;
import dev.lattice.mqtt.DeviceAuthenticator;
import dev.lattice.mqtt.DeviceTopics;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks every CONNECT with the {@link DeviceAuthenticator} and grants the device exactly its own
 * topics; everything else is denied.
 *
 * <p>The check runs on {@code executor} (virtual threads), so a slow authenticator never holds a
 * broker thread. A successful connection's username is kept in its connection attributes under
 * {@link #USERNAME_ATTRIBUTE} for the publish interceptor.
 */
public final class DeviceAuthentication implements SimpleAuthenticator {
    public static final String USERNAME_ATTRIBUTE = "lattice.username";
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Logger log = LoggerFactory.getLogger(DeviceAuthentication.class);

    private final DeviceAuthenticator authenticator;
    private final ExecutorService executor;

    /** Which device (user name) each authenticated client id logged in as, to end its sessions on revocation. */
    private final java.util.concurrent.ConcurrentMap<String, String> clients = new java.util.concurrent.ConcurrentHashMap<>();

    public DeviceAuthentication(DeviceAuthenticator authenticator, ExecutorService executor) {
        this.authenticator = authenticator;
        this.executor = executor;
    }

    /** The client ids that last logged in as {@code username}. */
    public java.util.List<String> clientsOf(String username) {
        return clients.entrySet().stream().filter(e -> e.getValue().equals(username)).map(java.util.Map.Entry::getKey).toList();
    }

    @Override
    public void onConnect(SimpleAuthInput input, SimpleAuthOutput output) {
        ConnectPacket connect = input.getConnectPacket();
        String clientId = connect.getClientId();
        String username = connect.getUserName().orElse(null);
        Optional<ByteBuffer> password = connect.getPassword();
        if (!DeviceTopics.isValidId(username) || password.isEmpty()) {
            log.debug("MQTT client {} refused: no usable username or no password", clientId);
            output.failAuthentication(ConnackReasonCode.NOT_AUTHORIZED, "username and device token required");
            return;
        }
        byte[] token = bytes(password.get());
        Async<SimpleAuthOutput> async = output.async(TIMEOUT, TimeoutFallback.FAILURE,
                ConnackReasonCode.NOT_AUTHORIZED, "authentication timed out");
        executor.execute(() -> {
            try {
                if (check(clientId, username, token)) {
                    grantOwnTopics(output.getDefaultPermissions(), username);
                    input.getConnectionInformation().getConnectionAttributeStore().putAsString(USERNAME_ATTRIBUTE, username);
                    clients.put(clientId, username);
                    output.authenticateSuccessfully();
                } else {
                    log.info("MQTT client {} refused: bad credentials for {}", clientId, username);
                    output.failAuthentication(ConnackReasonCode.NOT_AUTHORIZED, "bad username or device token");
                }
            } finally {
                async.resume();
            }
        });
    }

    private boolean check(String clientId, String username, byte[] token) {
        try {
            return authenticator.authenticate(clientId, username, token);
        } catch (RuntimeException e) {
            log.warn("MQTT authentication of {} failed with an error; refused", username, e);
            return false;
        }
    }

    /** Publish readings and acks, subscribe to commands; the default for anything else is deny. */
    static void grantOwnTopics(ModifiableDefaultPermissions permissions, String id) {
        permissions.setDefaultBehaviour(DefaultAuthorizationBehaviour.DENY);
        permissions.add(permission(DeviceTopics.readings(id), TopicPermission.MqttActivity.PUBLISH));
        permissions.add(permission(DeviceTopics.acks(id), TopicPermission.MqttActivity.PUBLISH));
        permissions.add(permission(DeviceTopics.commands(id), TopicPermission.MqttActivity.SUBSCRIBE));
    }

    private static TopicPermission permission(String topic, TopicPermission.MqttActivity activity) {
        return Builders.topicPermission()
                .topicFilter(topic)
                .activity(activity)
                .type(TopicPermission.PermissionType.ALLOW)
                .build();
    }

    static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer copy = buffer.asReadOnlyBuffer();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return bytes;
    }
}
