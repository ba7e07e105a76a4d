package io.graylight.router.embedded;

import io.graylight.mockllm.MockFaults;
import io.graylight.mockllm.MockLlmServer;
import io.graylight.router.RouterServer;
import io.graylight.router.config.RouterConfig;
import java.util.List;
import java.util.Map;

/**
 * The router with a baseline and a canary mock LLM, all in this JVM on free ports: the demo's and
 * the benchmarks' traffic path. Give it a Kafka bootstrap and the releases to route; set the
 * canary's faults with {@link #setCanaryFaults}.
 */
public final class RouterStack implements AutoCloseable {

    private final MockLlmServer baseline;
    private final MockLlmServer canary;
    private final RouterServer router;

    private RouterStack(MockLlmServer baseline, MockLlmServer canary, RouterServer router) {
        this.baseline = baseline;
        this.canary = canary;
        this.router = router;
    }

    /**
     * Starts two mock upstreams (v1 baseline, v2 canary; {@code ttftMs} and {@code perTokenMs} as
     * their latency model) and a router for {@code releases} (each routed by header
     * {@code X-Graylight-Release: <name>}, except the first, which takes every other request).
     */
    public static RouterStack start(String kafkaBootstrap, String topicPrefix, List<String> releases, double ttftMs,
            double perTokenMs, boolean retryCanaryOnBaseline, String adminToken) throws Exception {
        MockLlmServer baseline = new MockLlmServer(null, "v1", ttftMs, perTokenMs, 1).start("127.0.0.1", 0);
        MockLlmServer canary = new MockLlmServer(null, "v2", ttftMs, perTokenMs, 2).start("127.0.0.1", 0);
        try {
            List<RouterConfig.Release> routes = new java.util.ArrayList<>();
            for (String release : releases.subList(1, releases.size())) {
                routes.add(release(release, new RouterConfig.Match(null, null, Map.of("X-Graylight-Release", release)), baseline, canary));
            }
            routes.add(release(releases.get(0), null, baseline, canary)); // last: it takes every other request
            RouterConfig config = new RouterConfig(new RouterConfig.Listen("127.0.0.1", 0),
                    new RouterConfig.Kafka(kafkaBootstrap, topicPrefix, Map.of()), null, null, null,
                    new RouterConfig.Upstream(null, "60s", null, retryCanaryOnBaseline, null),
                    new RouterConfig.Admin(adminToken, null), null, routes);
            return new RouterStack(baseline, canary, RouterServer.start(config));
        } catch (Exception e) {
            baseline.close();
            canary.close();
            throw e;
        }
    }

    private static RouterConfig.Release release(String name, RouterConfig.Match match, MockLlmServer baseline, MockLlmServer canary) {
        return new RouterConfig.Release(name, match,
                new RouterConfig.Target(baseline.url(), "v1", 0.0005, 0.0015),
                new RouterConfig.Target(canary.url(), "v2", 0.0005, 0.0015));
    }

    public String routerUrl() {
        return "http://127.0.0.1:" + router.port();
    }

    public RouterServer router() {
        return router;
    }

    public MockLlmServer baseline() {
        return baseline;
    }

    public MockLlmServer canary() {
        return canary;
    }

    public void setCanaryFaults(MockFaults faults) {
        canary.setFaults(faults);
    }

    @Override
    public void close() throws Exception {
        try {
            router.close();
        } finally {
            baseline.close();
            canary.close();
        }
    }
}
