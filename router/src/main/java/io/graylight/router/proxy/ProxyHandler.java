package io.graylight.router.proxy;

import io.graylight.contracts.telemetry.Cohort;
import io.graylight.contracts.telemetry.RequestStatus;
import io.graylight.contracts.telemetry.TelemetryEvent;
import io.graylight.router.config.RouterConfig;
import io.graylight.router.config.RouterConfig.Release;
import io.graylight.router.config.RouterConfig.Target;
import io.graylight.router.control.DecisionBook;
import io.graylight.router.ops.RouterMetrics;
import io.graylight.router.routing.ReleaseRoutes;
import io.graylight.router.routing.UserAttributes;
import io.graylight.router.routing.UserIdentity;
import io.graylight.router.telemetry.RecentRequests;
import io.graylight.router.telemetry.TelemetryPublisher;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.time.Instant;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * Proxies one LLM call: picks the release and cohort, forwards the request body untouched to
 * that cohort's upstream, streams the response back chunk by chunk (SSE included: each chunk is
 * written as it arrives, with back-pressure, never buffered), and publishes one telemetry event
 * when it ends. Adds {@code X-Graylight-Cohort} and {@code X-Graylight-Request-Id} (the event id,
 * for feedback). A canary call that fails before any byte reached the client (connection error
 * or 5xx) is retried on the baseline when configured; the failure is still recorded. Runs on
 * the event loop: nothing here blocks. One instance per event loop (each
 * {@link io.graylight.router.RouterVerticle} has its own, with its own {@link HttpClient}, so
 * upstream connections stay on the event loop that uses them); what the instances share (book,
 * telemetry, recent calls, metrics) takes no lock per call.
 */
public final class ProxyHandler {

    public static final String COHORT_HEADER = "X-Graylight-Cohort";
    public static final String REQUEST_ID_HEADER = "X-Graylight-Request-Id";

    private static final String[] HOP_BY_HOP = {"connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "host", "content-length"};
    /** {@link #HOP_BY_HOP} by name length: a header is compared with the one or two names of its length only. */
    private static final String[][] HOP_BY_HOP_BY_LENGTH = byLength(HOP_BY_HOP);

    private final Vertx vertx;
    private final HttpClient client;
    private final RouterConfig.Upstream upstream;
    private final ReleaseRoutes routes;
    private final UserIdentity identity;
    private final UserAttributes attributes;
    private final DecisionBook book;
    private final TelemetryPublisher telemetry;
    private final RecentRequests recent;
    private final RouterMetrics metrics;
    // parsed once: a request only reads them
    private final long connectTimeoutMs;
    private final long idleTimeoutMs;
    private final long requestTimeoutMs;
    private final Map<Target, Endpoint> endpoints = new IdentityHashMap<>();

    /** Where a target's calls go, taken apart once instead of parsing its URL on every call. */
    record Endpoint(String host, int port, boolean ssl, String basePath) {
        static Endpoint of(Target target) {
            URI uri = target.uri();
            boolean ssl = "https".equals(uri.getScheme());
            int port = uri.getPort() >= 0 ? uri.getPort() : ssl ? 443 : 80;
            String path = uri.getRawPath() == null ? "" : uri.getRawPath();
            return new Endpoint(uri.getHost(), port, ssl, path.endsWith("/") ? path.substring(0, path.length() - 1) : path);
        }

        /** The upstream URI of a request: the target's path, then the request's. */
        String uri(String requestUri) {
            return basePath.isEmpty() ? requestUri : basePath + requestUri;
        }
    }

    public ProxyHandler(Vertx vertx, HttpClient client, RouterConfig.Upstream upstream, ReleaseRoutes routes,
            UserIdentity identity, UserAttributes attributes, DecisionBook book, TelemetryPublisher telemetry,
            RecentRequests recent, RouterMetrics metrics) {
        this.vertx = vertx;
        this.client = client;
        this.upstream = upstream;
        this.routes = routes;
        this.identity = identity;
        this.attributes = attributes;
        this.book = book;
        this.telemetry = telemetry;
        this.recent = recent;
        this.metrics = metrics;
        this.connectTimeoutMs = upstream.connect().toMillis();
        this.idleTimeoutMs = upstream.idle().toMillis();
        this.requestTimeoutMs = upstream.request().toMillis();
        for (Release release : routes.releases()) {
            endpoints.put(release.baseline(), Endpoint.of(release.baseline()));
            endpoints.put(release.canary(), Endpoint.of(release.canary()));
        }
    }

    /** The state of one proxied call. */
    private final class Call {
        final HttpServerRequest request;
        final Release release;
        final String userId;
        final Map<String, String> segment;
        final Instant startedAt = Instant.now();
        Buffer body;
        long started;
        boolean done;
        HttpClientRequest upstreamRequest;
        long deadlineTimer = -1;

        Call(HttpServerRequest request, Release release, String userId, Map<String, String> segment) {
            this.request = request;
            this.release = release;
            this.userId = userId;
            this.segment = segment;
        }
    }

    public void handle(HttpServerRequest request) {
        long started = System.nanoTime();
        Release release = routes.match(request);
        if (release == null) {
            error(request.response(), 404, "graylight_no_route", "no release matches this request (host, path or headers)");
            return;
        }
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null && parseLong(length) > upstream.maxRequestBodyBytes()) {
            error(request.response(), 413, "graylight_body_too_large", "request body above " + upstream.maxRequestBodyBytes() + " bytes");
            return;
        }
        String userId = identity.userId(request.headers());
        Call call = new Call(request, release, userId, attributes.of(userId, request.headers()));
        call.started = started;
        Cohort cohort = book.cohort(release.name(), userId, call.segment, call.startedAt);
        request.body().onComplete(ar -> {
            if (ar.failed()) {
                return; // the client went away while sending
            }
            call.body = ar.result();
            call.deadlineTimer = vertx.setTimer(requestTimeoutMs, id -> deadline(call));
            attempt(call, cohort, false);
        });
    }

    private void attempt(Call call, Cohort cohort, boolean retry) {
        Target target = cohort == Cohort.CANARY ? call.release.canary() : call.release.baseline();
        String eventId = RequestIds.next();
        long attemptStart = System.nanoTime();
        Endpoint endpoint = endpoints.get(target);
        if (endpoint == null) {
            endpoint = Endpoint.of(target); // a target not in the routes (never, but do not fail a call for it)
        }
        RequestOptions options = new RequestOptions()
                .setMethod(call.request.method())
                .setHost(endpoint.host())
                .setPort(endpoint.port())
                .setSsl(endpoint.ssl())
                .setURI(endpoint.uri(call.request.uri()))
                .setConnectTimeout(connectTimeoutMs)
                .setIdleTimeout(idleTimeoutMs);
        call.request.headers().forEach((name, value) -> {
            if (!isHopByHop(name)) {
                options.addHeader(name, value);
            }
        });
        options.putHeader(COHORT_HEADER, cohort.wireName()).putHeader(REQUEST_ID_HEADER, eventId);
        client.request(options)
                .compose(req -> {
                    call.upstreamRequest = req;
                    return req.send(call.body);
                })
                .onComplete(ar -> {
                    if (call.done) {
                        return; // the deadline answered already
                    }
                    if (ar.failed()) {
                        RequestStatus status = isTimeout(ar.cause()) ? RequestStatus.TIMEOUT : RequestStatus.ERROR;
                        metrics.upstreamFailure();
                        if (cohort == Cohort.CANARY && upstream.retryCanaryOnBaseline() && !retry) {
                            record(call, cohort, target, eventId, status, attemptStart, null, null);
                            metrics.retry();
                            attempt(call, Cohort.BASELINE, true);
                            return;
                        }
                        finish(call);
                        record(call, cohort, target, eventId, status, attemptStart, null, null);
                        error(call.request.response(), status == RequestStatus.TIMEOUT ? 504 : 502, "graylight_upstream_unavailable",
                                cohort.wireName() + " upstream failed: " + ar.cause().getMessage());
                        return;
                    }
                    respond(call, cohort, target, eventId, retry, attemptStart, ar.result());
                });
    }

    private void respond(Call call, Cohort cohort, Target target, String eventId, boolean retry, long attemptStart,
            HttpClientResponse up) {
        int code = up.statusCode();
        if (code >= 500 && cohort == Cohort.CANARY && upstream.retryCanaryOnBaseline() && !retry) {
            up.pause();
            up.request().reset(); // the canary's error body is not needed
            record(call, cohort, target, eventId, RequestStatus.ERROR, attemptStart, null, null);
            metrics.retry();
            attempt(call, Cohort.BASELINE, true);
            return;
        }
        HttpServerResponse out = call.request.response();
        out.setStatusCode(code);
        if (up.statusMessage() != null) {
            out.setStatusMessage(up.statusMessage());
        }
        up.headers().forEach((name, value) -> {
            if (!isHopByHop(name)) {
                out.headers().add(name, value);
            }
        });
        out.putHeader(COHORT_HEADER, cohort.wireName()).putHeader(REQUEST_ID_HEADER, eventId);
        String contentLength = up.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (contentLength != null) {
            out.putHeader(HttpHeaders.CONTENT_LENGTH, contentLength);
        } else {
            out.setChunked(true);
        }
        String contentType = up.getHeader(HttpHeaders.CONTENT_TYPE);
        boolean sse = contentType != null && contentType.regionMatches(true, 0, "text/event-stream", 0, 17);
        UsageScanner usage = new UsageScanner(sse);
        long[] firstChunk = {-1};
        up.handler(chunk -> {
            if (firstChunk[0] < 0) {
                firstChunk[0] = System.nanoTime();
            }
            usage.accept(chunk);
            out.write(chunk);
            if (out.writeQueueFull()) {
                up.pause();
                out.drainHandler(v -> up.resume());
            }
        });
        up.endHandler(v -> {
            if (call.done) {
                return;
            }
            finish(call);
            out.end();
            usage.finish();
            RequestStatus status = usage.filtered() ? RequestStatus.FILTERED : StatusMapping.of(code);
            Double ttft = sse && firstChunk[0] > 0 ? (firstChunk[0] - attemptStart) / 1e6 : null;
            record(call, cohort, target, eventId, status, attemptStart, ttft, usage);
        });
        up.exceptionHandler(e -> {
            if (call.done) {
                return;
            }
            finish(call);
            out.reset();
            Double ttft = sse && firstChunk[0] > 0 ? (firstChunk[0] - attemptStart) / 1e6 : null;
            record(call, cohort, target, eventId, isTimeout(e) ? RequestStatus.TIMEOUT : RequestStatus.ERROR, attemptStart, ttft, usage);
        });
        // the client went away: stop the upstream call too
        out.closeHandler(v -> {
            if (!call.done && call.upstreamRequest != null) {
                call.upstreamRequest.reset();
            }
        });
    }

    /** The whole-call deadline: answer 504 if nothing was sent yet, else cut the stream; record a timeout. */
    private void deadline(Call call) {
        if (call.done) {
            return;
        }
        call.done = true;
        if (call.upstreamRequest != null) {
            call.upstreamRequest.reset();
        }
        HttpServerResponse out = call.request.response();
        if (out.headWritten()) {
            out.reset();
        } else {
            error(out, 504, "graylight_upstream_timeout", "upstream did not answer within " + upstream.requestTimeout());
        }
        // the cohort is that of the last attempt: read it from the header the upstream was sent
        String cohortName = call.upstreamRequest == null ? null : call.upstreamRequest.headers().get(COHORT_HEADER);
        Cohort cohort = "canary".equals(cohortName) ? Cohort.CANARY : Cohort.BASELINE;
        Target target = cohort == Cohort.CANARY ? call.release.canary() : call.release.baseline();
        String eventId = call.upstreamRequest == null ? RequestIds.next() : call.upstreamRequest.headers().get(REQUEST_ID_HEADER);
        record(call, cohort, target, eventId, RequestStatus.TIMEOUT, call.started, null, null);
    }

    private void finish(Call call) {
        call.done = true;
        if (call.deadlineTimer >= 0) {
            vertx.cancelTimer(call.deadlineTimer);
        }
    }

    private void record(Call call, Cohort cohort, Target target, String eventId, RequestStatus status, long attemptStart,
            Double ttftMs, UsageScanner usage) {
        double latencyMs = Math.max(0, (System.nanoTime() - attemptStart) / 1e6);
        Long in = usage == null ? null : usage.inputTokens();
        Long outTokens = usage == null ? null : usage.outputTokens();
        Double cost = usage == null ? null : usage.costUsd();
        if (cost == null && target.inputPricePer1k() != null && target.outputPricePer1k() != null && in != null && outTokens != null) {
            cost = (in * target.inputPricePer1k() + outTokens * target.outputPricePer1k()) / 1000.0;
        }
        String user = call.userId == null ? "anonymous" : call.userId;
        TelemetryEvent event = TelemetryEvent.request(eventId, call.startedAt, call.release.name(), cohort, target.version(),
                user, call.segment, status, latencyMs, ttftMs, in, outTokens, cost, null);
        telemetry.publish(event);
        recent.put(eventId, new RecentRequests.Served(call.release.name(), cohort, target.version(), user, call.segment));
        metrics.request(call.release.name(), cohort, status, latencyMs, ttftMs);
    }

    /** Whether a header only concerns one connection (or is set by the client itself): compared in place, no lower-casing. */
    static boolean isHopByHop(String name) {
        if (name.length() >= HOP_BY_HOP_BY_LENGTH.length) {
            return false;
        }
        for (String hop : HOP_BY_HOP_BY_LENGTH[name.length()]) {
            if (hop.equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    private static String[][] byLength(String[] names) {
        int longest = Arrays.stream(names).mapToInt(String::length).max().orElse(0);
        String[][] table = new String[longest + 1][];
        for (int length = 0; length <= longest; length++) {
            int n = length;
            table[length] = Arrays.stream(names).filter(name -> name.length() == n).toArray(String[]::new);
        }
        return table;
    }

    private static boolean isTimeout(Throwable e) {
        return e instanceof TimeoutException || e instanceof io.netty.channel.ConnectTimeoutException
                || e.getClass().getSimpleName().contains("Timeout")
                || (e.getMessage() != null && e.getMessage().toLowerCase(Locale.ROOT).contains("timeout"));
    }

    private static long parseLong(String text) {
        try {
            return Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** An OpenAI-style error body, so clients show a useful message. */
    public static void error(HttpServerResponse response, int status, String type, String message) {
        if (response.ended() || response.closed()) {
            return;
        }
        String body = "{\"error\":{\"message\":" + io.graylight.contracts.json.Json.toString(message)
                + ",\"type\":\"" + type + "\",\"code\":" + status + "}}";
        response.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(body);
    }
}
