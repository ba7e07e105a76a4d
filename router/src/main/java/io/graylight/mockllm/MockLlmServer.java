package io.graylight.mockllm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.graylight.contracts.json.Json;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.SplittableRandom;
import java.util.UUID;
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
 * (JSON of the record's fields). Non-blocking: delays are Vert.x timers.
 */
public final class MockLlmServer implements AutoCloseable {

    private static final String WORDS = "the canary sings while the baseline hums along a gray release of careful steps";

    private final Vertx vertx;
    private final boolean ownVertx;
    private final String version;
    private final double ttftMs;
    private final double perTokenMs;
    private final SplittableRandom seeds;
    private final AtomicLong calls = new AtomicLong();
    private volatile MockFaults faults = MockFaults.NONE;
    private HttpServer server;
    private boolean closed;

    public MockLlmServer(Vertx vertx, String version, double ttftMs, double perTokenMs, long seed) {
        this.vertx = vertx == null ? Vertx.vertx() : vertx;
        this.ownVertx = vertx == null;
        this.version = version;
        this.ttftMs = ttftMs;
        this.perTokenMs = perTokenMs;
        this.seeds = new SplittableRandom(seed);
    }

    /** Starts listening on {@code port} (0 = a free one) and returns this. */
    public MockLlmServer start(String host, int port) throws Exception {
        server = vertx.createHttpServer(new io.vertx.core.http.HttpServerOptions().setTcpNoDelay(true))
                .requestHandler(this::handle);
        server.listen(port, host).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        return this;
    }

    public int port() {
        return server.actualPort();
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

    private void handle(HttpServerRequest request) {
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
        request.body().onSuccess(body -> answer(request, path, body));
    }

    private void answer(HttpServerRequest request, String path, Buffer body) {
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
        SplittableRandom random = random();
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
        String id = (chat ? "chatcmpl-" : "cmpl-") + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
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
        String[] words = WORDS.split(" ");
        return words[i % words.length];
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

    private static String quote(String text) {
        return Json.toString(text);
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
        if (server != null) {
            server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        if (ownVertx) {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

}
