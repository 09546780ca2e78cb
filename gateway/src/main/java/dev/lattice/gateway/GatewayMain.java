package dev.lattice.gateway;

import dev.lattice.api.apps.Output;
import dev.lattice.api.auth.ApiKey;
import dev.lattice.api.auth.ApiKeyVerifier;
import dev.lattice.api.auth.SigningKey;
import dev.lattice.api.auth.TokenVerifier;
import dev.lattice.api.monitor.HealthReport;
import dev.lattice.api.monitor.WebhookDelivery;
import dev.lattice.api.repository.ArtefactClient;
import dev.lattice.api.repository.Endpoints;
import dev.lattice.api.sensors.Reading;
import dev.lattice.api.sensors.ReadingMetrics;
import dev.lattice.api.sensors.ReadingSink;
import dev.lattice.api.sensors.SensorTopics;
import dev.lattice.bus.Bus;
import dev.lattice.bus.heartbeat.Heartbeat;
import dev.lattice.gateway.apps.AppRoutes;
import dev.lattice.gateway.apps.AppViews;
import dev.lattice.gateway.apps.OutputRoutes;
import dev.lattice.gateway.artefacts.ArtefactRoutes;
import dev.lattice.gateway.audit.AuditLog;
import dev.lattice.gateway.audit.AuditRoutes;
import dev.lattice.gateway.audit.Auditor;
import dev.lattice.gateway.health.HealthRoutes;
import dev.lattice.gateway.http.Api;
import dev.lattice.gateway.http.Authenticator;
import dev.lattice.gateway.http.Bodies;
import dev.lattice.gateway.http.Forwarding;
import dev.lattice.gateway.http.Route;
import dev.lattice.gateway.http.TopicFeed;
import dev.lattice.gateway.models.InferenceRoutes;
import dev.lattice.gateway.models.ModelRoutes;
import dev.lattice.gateway.models.ModelViews;
import dev.lattice.gateway.openapi.OpenApi;
import dev.lattice.gateway.sensors.CatalogRoutes;
import dev.lattice.gateway.sensors.CommandRoutes;
import dev.lattice.gateway.sensors.ReadingRoutes;
import dev.lattice.gateway.sensors.SensorViews;
import dev.lattice.gateway.users.ApiKeyRoutes;
import dev.lattice.gateway.webhooks.WebhookRoutes;
import dev.lattice.gateway.metrics.MetricsRoutes;
import dev.lattice.gateway.metrics.RequestMetrics;
import dev.lattice.bus.metrics.MetricsTarget;
import dev.lattice.gateway.users.UserRoutes;
import dev.lattice.gateway.workloads.DeploymentRoutes;
import dev.lattice.gateway.workloads.NodeRoutes;
import dev.lattice.gateway.workloads.WorkloadViews;
import dev.lattice.workloads.Events;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the gateway:
 * <ol>
 *   <li>connects to Kafka and starts the heartbeat (STARTING);</li>
 *   <li>follows the signing keys (to check tokens locally), the health reports, the sensors
 *       service's kinds and the readings, the nodes, deployments and workloads, and the events;</li>
 *   <li>builds every route group and the HTTP server, and listens;</li>
 *   <li>reports UP.</li>
 * </ol>
 * Stateless: any number of gateways may run side by side.
 */
public final class GatewayMain implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GatewayMain.class);

    /** Audit entries the API answers from (Kafka keeps {@link AuditLog#RETENTION}). */
    private static final int AUDIT_KEPT = 10_000;
    private final Bus bus;
    private final Api api;
    private final List<AutoCloseable> feeds;

    private GatewayMain(Bus bus, Api api, List<AutoCloseable> feeds) {
        this.bus = bus;
        this.api = api;
        this.feeds = feeds;
    }

    public static GatewayMain start(GatewayConfig config, Clock clock) {
        Bus bus = Bus.connect(config.bus(), clock);
        try {
            var heartbeat = bus.heartbeat();
            var keys = bus.view(SigningKey.KIND, SigningKey.class);
            var apiKeys = bus.view(ApiKey.KIND, ApiKey.class);
            var health = bus.view(HealthReport.KIND, HealthReport.class);
            var client = bus.client();
            keys.awaitCaughtUp(Duration.ofSeconds(60));
            health.awaitCaughtUp(Duration.ofSeconds(60));
            SensorViews sensors = SensorViews.follow(bus, Duration.ofSeconds(60));
            bus.ensure(SensorTopics.readings(System.getenv()), Output.STREAM, dev.lattice.api.models.Prediction.STREAM);
            TopicFeed<Reading> feed = new TopicFeed<>(bus, Reading.TOPIC, Reading.class, Reading::tsOf, Duration.ofHours(24), 1000);
            TopicFeed<Output> outputs = new TopicFeed<>(bus, Output.TOPIC, Output.class, Output::tsOf, Duration.ofHours(24), 1000);
            var predictions = new TopicFeed<>(bus, dev.lattice.api.models.Prediction.TOPIC, dev.lattice.api.models.Prediction.class,
                    dev.lattice.api.models.Prediction::tsOf, Duration.ofHours(24), 1000);
            WorkloadViews workloads = WorkloadViews.follow(bus, Duration.ofSeconds(60));
            bus.ensure(Events.STREAM);
            Bodies bodies = new Bodies(config.maxBodyBytes());
            NodeRoutes nodeRoutes = new NodeRoutes(client, workloads, bus, bodies);

            // The hot paths' routes first: Javalin tries a request's routes in the order they were
            // added, a regular expression each, and took ~12 % of the gateway's CPU per proxied
            // predict matching the ones before (JFR, PERFORMANCE.md issue 13).
            List<Route> hot = new ArrayList<>();
            List<Route> routes = new ArrayList<>();
            routes.addAll(new UserRoutes(client, bodies).routes());
            routes.addAll(new ApiKeyRoutes(client, apiKeys, bodies).routes());
            routes.addAll(new HealthRoutes(health, clock, workloads::unconfinedNodes).routes());
            routes.addAll(new CatalogRoutes(client, sensors, bodies).routes());
            hot.addAll(new ReadingRoutes(sensors, new ReadingSink(bus.newWriter(ReadingSink.PRODUCER)), feed, bodies, clock,
                    new ReadingMetrics(bus.metrics().registry(), "http")).routes());
            routes.addAll(new CommandRoutes(client, sensors, bodies).routes());
            routes.addAll(new DeploymentRoutes(client, workloads, bodies).routes());
            routes.addAll(nodeRoutes.routes());
            // One view of the advertised endpoints (the repository's address) for every route group that uploads.
            Endpoints endpoints = Endpoints.follow(bus, Duration.ofSeconds(60));
            ArtefactClient artefacts = new ArtefactClient();
            routes.addAll(ArtefactRoutes.of(endpoints).routes());
            ModelViews models = ModelViews.follow(bus, workloads, Duration.ofSeconds(60));
            routes.addAll(new ModelRoutes(client, models, endpoints, artefacts, bodies).routes());
            InferenceRoutes inference = new InferenceRoutes(models, client);
            hot.addAll(inference.routes());
            routes.addAll(new dev.lattice.gateway.models.BindingRoutes(client, models, sensors, predictions, bodies).routes());
            dev.lattice.gateway.models.StreamPredictor.start(bus, inference, Duration.ofSeconds(60));
            AppViews apps = AppViews.follow(bus, workloads, Duration.ofSeconds(60));
            routes.addAll(new AppRoutes(client, apps, endpoints, artefacts, bodies).routes());
            routes.addAll(new OutputRoutes(apps, bus.writer(), outputs, bodies, clock).routes());
            routes.addAll(new WebhookRoutes(client, bus.view(WebhookDelivery.KIND, WebhookDelivery.class), bodies).routes());
            routes.addAll(new MetricsRoutes(bus.view(MetricsTarget.KIND, MetricsTarget.class), workloads).routes());
            AuditLog audit = new AuditLog(bus, AUDIT_KEPT);
            routes.addAll(new AuditRoutes(audit).routes());
            routes.addAll(0, hot);
            routes.add(OpenApi.route(routes, "v1"));
            Api api = new Api(routes, new Authenticator(new TokenVerifier(keys, clock), sensors::verifyDevice, apps,
                    new ApiKeyVerifier(apiKeys, clock)), new Forwarding(client, clock),
                    config.maxBodyBytes(), new Auditor(audit, clock), new RequestMetrics(bus.metrics().registry())).start(config.host(), config.port());
            heartbeat.status(Heartbeat.Status.UP);
            log.info("gateway listening on {}:{}", config.host(), api.port());
            return new GatewayMain(bus, api, List.of(feed, outputs, nodeRoutes, inference, audit));
        } catch (RuntimeException e) {
            bus.close();
            throw e;
        }
    }

    public int port() {
        return api.port();
    }

    public List<Route> routes() {
        return api.routes();
    }

    @Override
    public void close() {
        api.stop();
        for (AutoCloseable f : feeds) {
            try {
                f.close();
            } catch (Exception e) {
                log.warn("closing {} failed: {}", f.getClass().getSimpleName(), e.toString());
            }
        }
        bus.close();
    }
}
