package dev.lattice.mqtt.internal;

import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;
import com.hivemq.extension.sdk.api.services.publish.PublishService;
import com.hivemq.extension.sdk.api.services.subscription.SubscriptionStore;
import dev.lattice.mqtt.DeviceAuthenticator;
import dev.lattice.mqtt.PublishListener;
import java.util.concurrent.ExecutorService;

/**
 * The embedded HiveMQ extension that makes the broker Lattice's: authentication and per-device
 * topic permissions, the publish interceptor and delivery tracking. HiveMQ starts it before
 * opening its listener, so no client ever connects without it.
 */
public final class LatticeExtension implements ExtensionMain {
    public static final String ID = "lattice-devices";

    private final DeviceAuthentication authentication;
    private final DevicePublishes publishes;
    private final CommandDeliveries commandDeliveries;
    private volatile PublishService publishService;
    private volatile SubscriptionStore subscriptionStore;

    public LatticeExtension(DeviceAuthenticator authenticator, PublishListener listener,
                            Deliveries deliveries, ExecutorService authExecutor) {
        this.authentication = new DeviceAuthentication(authenticator, authExecutor);
        this.publishes = new DevicePublishes(listener);
        this.commandDeliveries = new CommandDeliveries(deliveries);
    }

    /** Ends every session logged in as {@code username}; completes with how many there were. */
    public java.util.concurrent.CompletableFuture<Integer> disconnect(String username) {
        var ids = authentication.clientsOf(username);
        var all = ids.stream().map(id -> Services.clientService().disconnectClient(id)).toList();
        return java.util.concurrent.CompletableFuture.allOf(all.toArray(java.util.concurrent.CompletableFuture[]::new))
                .thenApply(v -> (int) all.stream().filter(f -> Boolean.TRUE.equals(f.join())).count());
    }

    @Override
    public void extensionStart(ExtensionStartInput input, ExtensionStartOutput output) {
        Services.securityRegistry().setAuthenticatorProvider(providerInput -> authentication);
        Services.initializerRegistry().setClientInitializer((initializerInput, client) -> {
            client.addPublishInboundInterceptor(publishes);
            client.addPublishOutboundInterceptor(commandDeliveries);
            client.addPubackInboundInterceptor(commandDeliveries);
        });
        publishService = Services.publishService();
        subscriptionStore = Services.subscriptionStore();
    }

    @Override
    public void extensionStop(ExtensionStopInput input, ExtensionStopOutput output) {
        // Nothing to release: the broker drops the registrations with the extension.
    }

    /** The broker's publish service; available once the broker has started. */
    public PublishService publishService() {
        return publishService;
    }

    /** The broker's subscription store; available once the broker has started. */
    public SubscriptionStore subscriptionStore() {
        return subscriptionStore;
    }
}
