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
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The router, wired: a Vert.x HTTP server whose requests go to the {@link OpsRoutes} or the
 * {@link ProxyHandler}, a {@link ControlFollower} keeping the {@link DecisionBook} current, a
 * {@link TelemetryPublisher}, and Micrometer metrics (the router's own and Vert.x's HTTP metrics).
 * {@link #close()} drains: the server stops accepting, in-flight calls finish (up to the grace
 * period), then queued telemetry is sent and Kafka clients close.
 */
public final class RouterServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RouterServer.class);

    private final Vertx vertx;
    private final HttpServer server;
    private final DecisionBook book;
    private final ControlFollower follower;
    private final TelemetryPublisher telemetry;
    private final RouterMetrics metrics;
    private final Duration grace;

    private RouterServer(Vertx vertx, HttpServer server, DecisionBook book, ControlFollower follower,
            TelemetryPublisher telemetry, RouterMetrics metrics, Duration grace) {
        this.vertx = vertx;
        this.server = server;
        this.book = book;
        this.follower = follower;
        this.telemetry = telemetry;
        this.metrics = metrics;
        this.grace = grace;
    }

    /** Starts the router and returns once it listens. */
    public static RouterServer start(RouterConfig config) throws ConfigException, Exception {
        Map<String, Map<String, String>> userAttributes = config.attributes().file() == null ? Map.of()
                : ConfigLoader.loadUserAttributes(Path.of(config.attributes().file()));
        RouterMetrics metrics = new RouterMetrics();
        Vertx vertx = config.metrics().vertx()
                ? Vertx.builder()
                        .with(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)))
                        .withMetrics(new MicrometerMetricsFactory(metrics.registry()))
                        .build()
                : Vertx.vertx();
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
            HttpClient client = vertx.createHttpClient(
                    new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true)
                            .setConnectTimeout((int) config.upstream().connect().toMillis()),
                    new PoolOptions().setHttp1MaxSize(256));
            RecentRequests recent = new RecentRequests(100_000);
            ProxyHandler proxy = new ProxyHandler(vertx, client, config.upstream(), new ReleaseRoutes(config.releases()),
                    new UserIdentity(config.userId()),
                    new UserAttributes(config.attributes().headerPrefix(), userAttributes, config.userId().header()),
                    book, telemetry, recent, metrics);
            OpsRoutes ops = new OpsRoutes(book, follower, telemetry, recent, metrics, config.releases(),
                    config.admin().resolvedToken());
            HttpServer server = vertx.createHttpServer(new HttpServerOptions().setTcpNoDelay(true).setIdleTimeout(0))
                    .requestHandler(request -> {
                        if (!ops.handle(request)) {
                            proxy.handle(request);
                        }
                    });
            server.listen(config.listen().port(), config.listen().host()).toCompletionStage().toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
            if (follower != null) {
                follower.start();
            }
            LOG.info("router listening on {}:{} for releases {}", config.listen().host(), server.actualPort(),
                    config.releases().stream().map(RouterConfig.Release::name).toList());
            return new RouterServer(vertx, server, book, follower, telemetry, metrics, config.upstream().request());
        } catch (Exception e) {
            vertx.close();
            throw e;
        }
    }

    public int port() {
        return server.actualPort();
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
        long graceMillis = Math.min(grace.toMillis(), 30_000);
        try {
            server.shutdown(graceMillis, TimeUnit.MILLISECONDS).toCompletionStage().toCompletableFuture()
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
