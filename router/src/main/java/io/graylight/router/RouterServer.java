package io.graylight.router;

import io.graylight.router.config.ConfigException;
import io.graylight.router.config.ConfigLoader;
import io.graylight.router.config.RouterConfig;
import io.graylight.router.control.ControlFollower;
import io.graylight.router.control.DecisionBook;
import io.graylight.router.ops.OpsRoutes;
import io.graylight.router.ops.RouterMetrics;
import io.graylight.router.proxy.ProxyHandler;
import io.graylight.router.routing.ReleaseRoutes;
import io.graylight.router.routing.UserAttributes;
import io.graylight.router.routing.UserIdentity;
import io.graylight.router.telemetry.RecentRequests;
import io.graylight.router.telemetry.TelemetryPublisher;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The router, wired: {@code listen.instances} {@link RouterVerticle}s (HTTP servers sharing one
 * port, one event loop each) whose requests go to the {@link OpsRoutes} or a {@link ProxyHandler},
 * a {@link ControlFollower} keeping the {@link DecisionBook} current, a {@link TelemetryPublisher},
 * and Micrometer metrics (the router's own; Vert.x's HTTP metrics too with {@code metrics.vertx}).
 * {@link #close()} drains: the server stops accepting, in-flight calls finish (up to the grace
 * period), then queued telemetry is sent and Kafka clients close.
 */
public final class RouterServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RouterServer.class);

    private final Vertx vertx;
    private final String deployment;
    private final int port;
    private final List<RouterVerticle> verticles;
    private final DecisionBook book;
    private final ControlFollower follower;
    private final TelemetryPublisher telemetry;
    private final RouterMetrics metrics;
    private final long graceMillis;

    private RouterServer(Vertx vertx, String deployment, int port, List<RouterVerticle> verticles, DecisionBook book,
            ControlFollower follower, TelemetryPublisher telemetry, RouterMetrics metrics, long graceMillis) {
        this.vertx = vertx;
        this.deployment = deployment;
        this.port = port;
        this.verticles = List.copyOf(verticles);
        this.book = book;
        this.follower = follower;
        this.telemetry = telemetry;
        this.metrics = metrics;
        this.graceMillis = graceMillis;
    }

    /** Starts the router and returns once it listens. */
    public static RouterServer start(RouterConfig config) throws ConfigException, Exception {
        Map<String, Map<String, String>> userAttributes = config.attributes().file() == null ? Map.of()
                : ConfigLoader.loadUserAttributes(Path.of(config.attributes().file()));
        RouterMetrics metrics = new RouterMetrics();
        // enough event loops for every server instance, whatever the core count says
        // epoll where Linux has it (netty-transport-native-epoll): fewer syscalls and copies per call than NIO
        VertxOptions options = new VertxOptions().setPreferNativeTransport(true).setEventLoopPoolSize(
                Math.max(VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE, config.listen().instances()));
        Vertx vertx = config.metrics().vertx()
                ? Vertx.builder()
                        .with(options.setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)))
                        .withMetrics(new MicrometerMetricsFactory(metrics.registry()))
                        .build()
                : Vertx.vertx(options);
        try {
            DecisionBook book = new DecisionBook();
            RouterConfig.Kafka kafka = config.kafka();
            ControlFollower follower = null;
            TelemetryPublisher telemetry = TelemetryPublisher.disabled();
            if (kafka.bootstrapServers() != null) {
                follower = new ControlFollower(kafka.bootstrapServers(), kafka.properties(), kafka.decisionsTopic(),
                        kafka.targetingTopic(), book);
                if (config.telemetry().enabled()) {
                    telemetry = TelemetryPublisher.kafka(kafka.bootstrapServers(), kafka.properties(), kafka.telemetryTopic(),
                            config.telemetry().bufferSize(), config.telemetry().lingerDuration());
                }
            } else {
                LOG.warn("no kafka.bootstrapServers: every release serves its baseline and no telemetry is sent");
            }
            ControlFollower f = follower;
            metrics.bind(book, follower, telemetry);
            book.onApplied(entry -> {
                Instant emitted = entry.decision().emittedAt();
                if (f != null && f.caughtUp() && emitted != null) {
                    metrics.propagation(Duration.between(emitted, entry.appliedAt()));
                }
            });
            RecentRequests recent = new RecentRequests(100_000);
            ReleaseRoutes routes = new ReleaseRoutes(config.releases());
            UserIdentity identity = new UserIdentity(config.userId());
            UserAttributes attributes = new UserAttributes(config.attributes().headerPrefix(), userAttributes, config.userId().header());
            OpsRoutes ops = new OpsRoutes(book, follower, telemetry, recent, metrics, config.releases(),
                    config.admin().resolvedToken());
            TelemetryPublisher t = telemetry;
            // port 0 would give each instance its own free port; -1 makes them share one (Vert.x server sharing)
            int port = config.listen().port() == 0 ? -1 : config.listen().port();
            long grace = graceMillis(config.upstream().request());
            List<RouterVerticle> verticles = new CopyOnWriteArrayList<>();
            String deployment = vertx.deployVerticle(() -> {
                RouterVerticle verticle = new RouterVerticle(config.listen().host(), port, config.upstream().connect().toMillis(), grace,
                        ops, client -> new ProxyHandler(vertx, client, config.upstream(), routes, identity, attributes, book, t, recent, metrics));
                verticles.add(verticle);
                return verticle;
            }, new DeploymentOptions().setInstances(config.listen().instances()))
                    .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            int actual = verticles.get(0).actualPort();
            if (verticles.stream().anyMatch(v -> v.actualPort() != actual)) {
                throw new IllegalStateException("the router's server instances listen on different ports: "
                        + verticles.stream().map(RouterVerticle::actualPort).toList());
            }
            if (follower != null) {
                follower.start();
            }
            LOG.info("router listening on {}:{} ({} event loops, {} transport) for releases {}", config.listen().host(), actual,
                    verticles.size(), vertx.isNativeTransportEnabled() ? "epoll" : "NIO", config.releases().stream().map(RouterConfig.Release::name).toList());
            return new RouterServer(vertx, deployment, actual, verticles, book, follower, telemetry, metrics, grace);
        } catch (Exception e) {
            vertx.close();
            throw e;
        }
    }

    public int port() {
        return port;
    }

    /** How many HTTP server instances (event loops) serve requests. */
    public int instances() {
        return verticles.size();
    }

    /** Requests received per server instance (Vert.x hands each new connection to the next instance). */
    public List<Long> requestsPerInstance() {
        return verticles.stream().map(RouterVerticle::requests).toList();
    }

    private static long graceMillis(Duration requestTimeout) {
        return Math.min(requestTimeout.toMillis(), 30_000);
    }

    public DecisionBook book() {
        return book;
    }

    public ControlFollower follower() {
        return follower;
    }

    public TelemetryPublisher telemetry() {
        return telemetry;
    }

    public RouterMetrics metrics() {
        return metrics;
    }

    /** Graceful: stop accepting, let in-flight calls finish (at most the request timeout, capped at 30 s), flush telemetry. */
    @Override
    public void close() throws Exception {
        try {
            // each instance stops accepting and waits for its in-flight calls (RouterVerticle.stop)
            vertx.undeploy(deployment).toCompletionStage().toCompletableFuture()
                    .get(graceMillis + 5_000, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.warn("shutdown: in-flight calls did not finish in time: {}", e.toString());
        }
        if (follower != null) {
            follower.close();
        }
        telemetry.close(Duration.ofSeconds(5));
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
