package io.graylight.router;

import io.graylight.router.ops.OpsRoutes;
import io.graylight.router.proxy.ProxyHandler;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.PoolOptions;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * One HTTP server instance of the router, on its own event loop. {@link RouterServer} deploys
 * {@code listen.instances} of them on one port (Vert.x hands each new connection to the next
 * instance), so the router uses every core. Each instance has its own upstream {@link HttpClient}:
 * its keep-alive connections belong to this event loop, so a proxied call never hops threads.
 * Stopping it drains: the server stops accepting, in-flight calls get up to the grace period.
 */
final class RouterVerticle extends VerticleBase {

    /** Upstream keep-alive connections per instance and upstream (wrk-style loads use tens). */
    static final int POOL_SIZE = 256;

    private final String host;
    private final int port;
    private final long connectTimeoutMs;
    private final long graceMillis;
    private final OpsRoutes ops;
    private final Function<HttpClient, ProxyHandler> proxies;
    // written by this instance's event loop only, so uncontended
    private final AtomicLong requests = new AtomicLong();
    private HttpServer server;
    private HttpClient client;

    RouterVerticle(String host, int port, long connectTimeoutMs, long graceMillis, OpsRoutes ops,
            Function<HttpClient, ProxyHandler> proxies) {
        this.host = host;
        this.port = port;
        this.connectTimeoutMs = connectTimeoutMs;
        this.graceMillis = graceMillis;
        this.ops = ops;
        this.proxies = proxies;
    }

    @Override
    public Future<?> start() {
        client = vertx.createHttpClient(
                new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true).setConnectTimeout((int) connectTimeoutMs),
                new PoolOptions().setHttp1MaxSize(POOL_SIZE));
        ProxyHandler proxy = proxies.apply(client);
        server = vertx.createHttpServer(new HttpServerOptions().setTcpNoDelay(true).setIdleTimeout(0))
                .requestHandler(request -> {
                    requests.incrementAndGet();
                    if (!ops.handle(request)) {
                        proxy.handle(request);
                    }
                });
        return server.listen(port, host);
    }

    int actualPort() {
        return server.actualPort();
    }

    /** Requests this instance received. */
    long requests() {
        return requests.get();
    }

    @Override
    public Future<?> stop() {
        return server.shutdown(graceMillis, TimeUnit.MILLISECONDS).eventually(() -> client.close());
    }
}
