package io.graylight.router.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.graylight.contracts.json.Json;
import io.graylight.contracts.telemetry.TelemetryEvent;
import io.graylight.router.config.RouterConfig.Release;
import io.graylight.router.control.ControlFollower;
import io.graylight.router.control.DecisionBook;
import io.graylight.router.proxy.ProxyHandler;
import io.graylight.router.telemetry.RecentRequests;
import io.graylight.router.telemetry.TelemetryPublisher;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The router's own endpoints: {@code /healthz} (the process answers), {@code /readyz} (the
 * decisions are loaded; says when Kafka is unreachable and routing uses the last known
 * decisions), {@code /metrics} (Prometheus), {@code /admin/state} (decisions, splits, Kafka and
 * telemetry state; bearer token required) and {@code POST /v1/feedback {requestId, score}}.
 */
public final class OpsRoutes {

    private final DecisionBook book;
    private final ControlFollower follower;
    private final TelemetryPublisher telemetry;
    private final RecentRequests recent;
    private final RouterMetrics metrics;
    private final List<Release> releases;
    private final byte[] adminToken;

    public OpsRoutes(DecisionBook book, ControlFollower follower, TelemetryPublisher telemetry, RecentRequests recent,
            RouterMetrics metrics, List<Release> releases, String adminToken) {
        this.book = book;
        this.follower = follower;
        this.telemetry = telemetry;
        this.recent = recent;
        this.metrics = metrics;
        this.releases = releases;
        this.adminToken = adminToken == null ? null : adminToken.getBytes(StandardCharsets.UTF_8);
    }

    /** Handles the request if it is one of ours; returns false to let the proxy take it. */
    public boolean handle(HttpServerRequest request) {
        String path = request.path();
        switch (path) {
            case "/healthz" -> json(request, 200, "{\"status\":\"ok\"}");
            case "/readyz" -> readyz(request);
            case "/metrics" -> request.response().putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")
                    .end(metrics.scrape());
            case "/v1/feedback" -> feedback(request);
            default -> {
                if (path.startsWith("/admin/")) {
                    admin(request);
                    return true;
                }
                return false;
            }
        }
        return true;
    }

    private void readyz(HttpServerRequest request) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        boolean kafkaConfigured = follower != null;
        boolean loaded = !kafkaConfigured || follower.caughtUp();
        boolean connected = kafkaConfigured && follower.connected();
        body.put("status", !loaded ? "loading decisions" : kafkaConfigured && !connected ? "degraded" : "ready");
        body.put("decisionsLoaded", loaded);
        body.put("kafka", !kafkaConfigured ? "not configured" : connected ? "connected" : "unreachable");
        if (kafkaConfigured && !connected) {
            body.put("note", "Kafka unreachable: routing on the last known decisions");
        }
        if (kafkaConfigured && follower.lastContact() != null) {
            body.put("kafkaLastContact", follower.lastContact().toString());
        }
        body.put("releasesWithDecision", book.entries().size());
        // degraded still serves: the last known decisions are the best routing there is
        json(request, loaded ? 200 : 503, body.toString());
    }

    private void admin(HttpServerRequest request) {
        if (!authorised(request.getHeader(HttpHeaders.AUTHORIZATION))) {
            request.response().putHeader("WWW-Authenticate", "Bearer realm=\"graylight-admin\"");
            ProxyHandler.error(request.response(), adminToken == null ? 403 : 401, "graylight_unauthorised",
                    adminToken == null ? "admin endpoints are off: no admin token configured" : "a valid bearer token is required");
            return;
        }
        if (!request.path().equals("/admin/state")) {
            ProxyHandler.error(request.response(), 404, "graylight_not_found", "unknown admin endpoint (known: /admin/state)");
            return;
        }
        ObjectNode state = Json.MAPPER.createObjectNode();
        ObjectNode kafka = state.putObject("kafka");
        kafka.put("configured", follower != null);
        if (follower != null) {
            kafka.put("connected", follower.connected());
            kafka.put("caughtUp", follower.caughtUp());
            kafka.put("badControlRecords", follower.badRecords());
        }
        ObjectNode tele = state.putObject("telemetry");
        tele.put("enabled", telemetry.enabled());
        tele.put("published", telemetry.published());
        tele.put("sent", telemetry.sent());
        tele.put("failed", telemetry.failed());
        tele.put("dropped", telemetry.dropped());
        tele.put("queued", telemetry.queued());
        state.put("scoredUsers", book.ranking().size());
        ObjectNode out = state.putObject("releases");
        for (Release release : releases) {
            ObjectNode r = out.putObject(release.name());
            r.put("baseline", release.baseline().url());
            r.put("canary", release.canary().url());
            DecisionBook.Entry entry = book.entry(release.name());
            if (entry == null) {
                r.put("split", "baseline only (no decision)");
                r.put("canaryPercent", 0.0);
            } else {
                r.put("split", entry.split().toString());
                r.put("canaryPercent", entry.split().canaryPercent());
                if (entry.problem() != null) {
                    r.put("problem", "not followed, baseline only: " + entry.problem());
                }
                r.put("appliedAt", entry.appliedAt().toString());
                r.set("decision", Json.MAPPER.valueToTree(entry.decision()));
            }
        }
        json(request, 200, state.toPrettyString());
    }

    private boolean authorised(String authorization) {
        if (adminToken == null || authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] given = authorization.substring(7).strip().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, adminToken); // constant time
    }

    private void feedback(HttpServerRequest request) {
        if (request.method() != HttpMethod.POST) {
            ProxyHandler.error(request.response(), 405, "graylight_method", "POST {requestId, score} to /v1/feedback");
            return;
        }
        request.body().onSuccess(buffer -> {
            JsonNode body;
            try {
                body = Json.MAPPER.readTree(buffer.getBytes());
            } catch (Exception e) {
                ProxyHandler.error(request.response(), 400, "graylight_bad_feedback", "body is not JSON: expected {\"requestId\": \"...\", \"score\": 1 or -1}");
                return;
            }
            String requestId = body == null ? null : body.path("requestId").asText(null);
            JsonNode score = body == null ? null : body.get("score");
            if (requestId == null || score == null || !score.isInt() || Math.abs(score.asInt()) != 1) {
                ProxyHandler.error(request.response(), 400, "graylight_bad_feedback", "expected {\"requestId\": \"...\", \"score\": 1 or -1}");
                return;
            }
            RecentRequests.Served served = recent.get(requestId);
            if (served == null) {
                ProxyHandler.error(request.response(), 404, "graylight_unknown_request", "unknown or expired requestId " + requestId);
                return;
            }
            String eventId = UUID.randomUUID().toString();
            telemetry.publish(TelemetryEvent.feedback(eventId, Instant.now(), served.release(), served.cohort(), served.version(),
                    served.userId(), served.segment(), requestId, score.asInt()));
            json(request, 202, "{\"eventId\":\"" + eventId + "\"}");
        });
    }

    private static void json(HttpServerRequest request, int status, String body) {
        request.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(body);
    }
}
