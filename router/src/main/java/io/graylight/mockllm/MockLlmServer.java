package io.graylight.mockllm;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.graylight.contracts.json.Json;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An OpenAI-compatible mock LLM for the demo, tests and benchmarks: {@code POST
 * /v1/chat/completions}, {@code /v1/completions} (both streaming with SSE and not),
 * {@code /v1/embeddings}, {@code GET /v1/models}. Every answer has a {@code usage} object (also
 * the last stream chunk when {@code stream_options.include_usage} is set).
 *
 * <p>Latency model: time to the first token {@code ttftMs}, then {@code perTokenMs} per output
 * token, each scaled by a log-normal jitter (sigma 0.25) and by the {@link MockFaults#slowFactor}.
 * Output length is the request's {@code max_tokens} (capped at 512), else 16 to 128 tokens.
 * Faults ({@link MockFaults}) change live with {@link #setFaults} or {@code PUT /mock/faults}
 * (JSON of the record's fields). Non-blocking: delays are Vert.x timers. Served by several HTTP
 * server instances on one port (default: one per core), each on its own event loop.
 */
public final class MockLlmServer implements AutoCloseable {

    private static final String[] WORD_LIST =
            "the canary sings while the baseline hums along a gray release of careful steps".split(" ");

    private final Vertx vertx;
    private final boolean ownVertx;
    private final String version;
    private final double ttftMs;
    private final double perTokenMs;
    private static final java.util.concurrent.atomic.AtomicInteger SHARED_PORT_KEYS = new java.util.concurrent.atomic.AtomicInteger();

    private final int instances;
    private final SplittableRandom seeds;
    private final AtomicLong calls = new AtomicLong();
    private volatile MockFaults faults = MockFaults.NONE;
    private final List<String> deployments = new ArrayList<>();
    private int port;
    private boolean closed;

    /** A mock on as many event loops as there are cores. */
    public MockLlmServer(Vertx vertx, String version, double ttftMs, double perTokenMs, long seed) {
        this(vertx, version, ttftMs, perTokenMs, seed, Runtime.getRuntime().availableProcessors());
    }

    /** A mock served by {@code instances} HTTP servers on one port, one event loop each. */
    public MockLlmServer(Vertx vertx, String version, double ttftMs, double perTokenMs, long seed, int instances) {
        if (instances < 1) {
            throw new IllegalArgumentException("instances must be at least 1: " + instances);
        }
        this.vertx = vertx == null ? Vertx.vertx() : vertx;
        this.ownVertx = vertx == null;
        this.version = version;
        this.ttftMs = ttftMs;
        this.perTokenMs = perTokenMs;
        this.seeds = new SplittableRandom(seed);
        this.instances = instances;
    }

    /**
     * Starts listening on {@code port} (0 = a free one) and returns this. All instances share the
     * port, so the mock is not a single event loop that a benchmark would measure instead of what
     * is in front of it.
     */
    public MockLlmServer start(String host, int port) throws Exception {
        // Vert.x: servers bound to the same negative port share one free port; port 0 would give
        // each instance its own. A key of its own per mock, in case two mocks share a Vertx.
        int bindPort = port != 0 ? port : -1 - SHARED_PORT_KEYS.getAndIncrement() % 60_000;
        List<Instance> started = new java.util.concurrent.CopyOnWriteArrayList<>();
        deployments.add(vertx.deployVerticle(() -> {
            Instance instance = new Instance(host, bindPort, random());
            started.add(instance);
            return instance;
        }, new DeploymentOptions().setInstances(instances)).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS));
        this.port = started.get(0).server.actualPort();
        for (Instance instance : started) {
            if (instance.server.actualPort() != this.port) {
                throw new IllegalStateException("mock LLM instances listen on different ports: " + this.port + " and "
                        + instance.server.actualPort());
            }
        }
        return this;
    }

    /** One HTTP server of the mock, on its event loop, with its own random numbers (no lock per call). */
    private final class Instance extends VerticleBase {
        private final String host;
        private final int bindPort;
        private final SplittableRandom random;
        private HttpServer server;

        Instance(String host, int bindPort, SplittableRandom random) {
            this.host = host;
            this.bindPort = bindPort;
            this.random = random;
        }

        @Override
        public Future<?> start() {
            server = vertx.createHttpServer(new io.vertx.core.http.HttpServerOptions().setTcpNoDelay(true))
                    .requestHandler(request -> handle(request, random));
            return server.listen(bindPort, host);
        }
    }

    public int port() {
        return port;
    }

    public String url() {
        return "http://127.0.0.1:" + port();
    }

    public void setFaults(MockFaults faults) {
        this.faults = faults;
    }

    public MockFaults faults() {
        return faults;
    }

    public long calls() {
        return calls.get();
    }

    private SplittableRandom random() {
        synchronized (seeds) {
            return seeds.split();
        }
    }

    private void handle(HttpServerRequest request, SplittableRandom random) {
        String path = request.path();
        if (path.equals("/mock/faults")) {
            faultsEndpoint(request);
            return;
        }
        if (request.method() == HttpMethod.GET && path.equals("/v1/models")) {
            json(request.response(), 200, "{\"object\":\"list\",\"data\":[{\"id\":\"mock-" + version
                    + "\",\"object\":\"model\",\"owned_by\":\"graylight\"}]}");
            return;
        }
        if (request.method() != HttpMethod.POST || !(path.equals("/v1/chat/completions")
                || path.equals("/v1/completions") || path.equals("/v1/embeddings"))) {
            error(request.response(), 404, "not_found", "unknown endpoint " + request.method() + " " + path);
            return;
        }
        calls.incrementAndGet();
        request.body().onSuccess(body -> answer(request, path, body, random));
    }

    private void answer(HttpServerRequest request, String path, Buffer body, SplittableRandom random) {
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(body.getBytes());
        } catch (Exception e) {
            error(request.response(), 400, "invalid_request_error", "body is not JSON");
            return;
        }
        if (json == null || !json.isObject()) {
            error(request.response(), 400, "invalid_request_error", "body must be a JSON object");
            return;
        }
        MockFaults f = faults;
        long inputTokens = Math.max(1, body.length() / 4);
        if (random.nextDouble() < f.errorRate()) {
            delay(jitter(random, ttftMs) * f.slowFactor(), () -> error(request.response(), 500, "server_error", "injected fault: server error"));
            return;
        }
        if (random.nextDouble() < f.rateLimitRate()) {
            error(request.response(), 429, "rate_limit_exceeded", "injected fault: rate limited");
            return;
        }
        double stall = random.nextDouble() < f.stallRate() ? f.stallMs() : 0;
        String model = json.path("model").asText("mock-" + version);
        if (path.equals("/v1/embeddings")) {
            delay(stall + jitter(random, ttftMs) * f.slowFactor(), () -> json(request.response(), 200, embeddings(model, inputTokens, f)));
            return;
        }
        int maxTokens = json.path("max_tokens").asInt(json.path("max_completion_tokens").asInt(0));
        int outputTokens = maxTokens > 0 ? Math.min(maxTokens, 512) : 16 + random.nextInt(113);
        boolean chat = path.equals("/v1/chat/completions");
        boolean stream = json.path("stream").asBoolean(false);
        boolean includeUsage = json.path("stream_options").path("include_usage").asBoolean(false);
        double first = stall + jitter(random, ttftMs) * f.slowFactor();
        double perToken = perTokenMs * f.slowFactor();
        // the instance's own random numbers: UUID.randomUUID() would queue every event loop on one SecureRandom lock
        String id = (chat ? "chatcmpl-" : "cmpl-") + Long.toHexString(random.nextLong() | Long.MIN_VALUE)
                + Integer.toHexString(random.nextInt() | Integer.MIN_VALUE).substring(0, 4);
        String usage = usage(inputTokens, outputTokens, f);
        if (!stream) {
            delay(first + perToken * outputTokens, () -> json(request.response(), 200,
                    completion(chat, id, model, text(outputTokens), usage)));
            return;
        }
        HttpServerResponse response = request.response();
        delay(first, () -> {
            response.setChunked(true).putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream")
                    .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache").putHeader("X-Mock-Version", version);
            if (chat) {
                response.write(sse(chunk(true, id, model, "{\"role\":\"assistant\",\"content\":\"\"}", null)));
            }
            streamTokens(response, chat, id, model, 0, outputTokens, perToken, includeUsage ? usage : null, random);
        });
    }

    private void streamTokens(HttpServerResponse response, boolean chat, String id, String model, int sent, int total,
            double perToken, String usage, SplittableRandom random) {
        if (response.closed()) {
            return;
        }
        if (sent == total) {
            response.write(sse(chunk(chat, id, model, chat ? "{}" : null, "stop")));
            if (usage != null) {
                response.write(sse("{\"id\":\"" + id + "\",\"object\":\"" + (chat ? "chat.completion.chunk" : "text_completion")
                        + "\",\"created\":" + now() + ",\"model\":" + quote(model) + ",\"choices\":[],\"usage\":" + usage + "}"));
            }
            response.end("data: [DONE]\n\n");
            return;
        }
        String word = word(sent) + " ";
        String delta = chat ? "{\"content\":" + quote(word) + "}" : quote(word);
        response.write(sse(chunk(chat, id, model, delta, null)));
        delay(perToken * (0.5 + random.nextDouble()), () -> streamTokens(response, chat, id, model, sent + 1, total, perToken, usage, random));
    }

    private static String chunk(boolean chat, String id, String model, String delta, String finish) {
        String finishJson = finish == null ? "null" : quote(finish);
        if (chat) {
            return "{\"id\":\"" + id + "\",\"object\":\"chat.completion.chunk\",\"created\":" + now() + ",\"model\":" + quote(model)
                    + ",\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":" + finishJson + "}]}";
        }
        return "{\"id\":\"" + id + "\",\"object\":\"text_completion\",\"created\":" + now() + ",\"model\":" + quote(model)
                + ",\"choices\":[{\"index\":0,\"text\":" + (delta == null ? "\"\"" : delta) + ",\"finish_reason\":" + finishJson + "}]}";
    }

    private static String completion(boolean chat, String id, String model, String text, String usage) {
        String choice = chat
                ? "{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":" + quote(text) + "},\"finish_reason\":\"stop\"}"
                : "{\"index\":0,\"text\":" + quote(text) + ",\"finish_reason\":\"stop\"}";
        return "{\"id\":\"" + id + "\",\"object\":\"" + (chat ? "chat.completion" : "text_completion") + "\",\"created\":" + now()
                + ",\"model\":" + quote(model) + ",\"choices\":[" + choice + "]" + (usage == null ? "" : ",\"usage\":" + usage) + "}";
    }

    private String embeddings(String model, long inputTokens, MockFaults f) {
        StringBuilder vector = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            vector.append(i == 0 ? "" : ",").append(String.format(java.util.Locale.ROOT, "%.4f", Math.sin(i + inputTokens)));
        }
        String usage = f.dropUsage() ? "" : ",\"usage\":{\"prompt_tokens\":" + (f.wrongUsage() ? inputTokens * 10 : inputTokens)
                + ",\"total_tokens\":" + (f.wrongUsage() ? inputTokens * 10 : inputTokens) + "}";
        return "{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,\"embedding\":[" + vector + "]}],\"model\":"
                + quote(model) + usage + "}";
    }

    private static String usage(long input, long output, MockFaults f) {
        if (f.dropUsage()) {
            return null;
        }
        long factor = f.wrongUsage() ? 10 : 1;
        return "{\"prompt_tokens\":" + input * factor + ",\"completion_tokens\":" + output * factor
                + ",\"total_tokens\":" + (input + output) * factor + "}";
    }

    private static String text(int tokens) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < tokens; i++) {
            text.append(i == 0 ? "" : " ").append(word(i));
        }
        return text.toString();
    }

    private static String word(int i) {
        return WORD_LIST[i % WORD_LIST.length];
    }

    private static Buffer sse(String data) {
        return Buffer.buffer("data: " + data + "\n\n");
    }

    private static double jitter(SplittableRandom random, double mean) {
        if (mean <= 0) {
            return 0;
        }
        return mean * Math.exp(0.25 * gaussian(random) - 0.03125);
    }

    private static double gaussian(SplittableRandom random) {
        return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    private void delay(double millis, Runnable action) {
        if (millis < 1) {
            action.run();
        } else {
            vertx.setTimer((long) millis, id -> action.run());
        }
    }

    private void faultsEndpoint(HttpServerRequest request) {
        if (request.method() == HttpMethod.GET) {
            json(request.response(), 200, Json.toString(faults));
            return;
        }
        request.body().onSuccess(body -> {
            try {
                ObjectNode merged = (ObjectNode) Json.MAPPER.valueToTree(faults);
                merged.setAll((ObjectNode) Json.MAPPER.readTree(body.getBytes()));
                faults = Json.MAPPER.treeToValue(merged, MockFaults.class);
                json(request.response(), 200, Json.toString(faults));
            } catch (Exception e) {
                error(request.response(), 400, "invalid_request_error", "bad faults: " + e.getMessage());
            }
        });
    }

    private void json(HttpServerResponse response, int status, String body) {
        response.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader("X-Mock-Version", version).end(body);
    }

    private void error(HttpServerResponse response, int status, String code, String message) {
        json(response, status, "{\"error\":{\"message\":" + quote(message) + ",\"type\":\"" + code + "\",\"code\":\"" + code + "\"}}");
    }

    /** A JSON string literal: Jackson's encoder alone, as a whole generator per string costs more than the rest of an answer. */
    static String quote(String text) {
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(text)) + "\"";
    }

    private static long now() {
        return System.currentTimeMillis() / 1000;
    }

    @Override
    public synchronized void close() throws Exception {
        if (closed) {
            return;
        }
        closed = true;
        for (String deployment : deployments) {
            vertx.undeploy(deployment).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        if (ownVertx) {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

}
