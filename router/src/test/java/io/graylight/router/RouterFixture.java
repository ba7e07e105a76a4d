package io.graylight.router;

import io.graylight.contracts.decision.Action;
import io.graylight.contracts.decision.DecisionRecord;
import io.graylight.contracts.decision.Strategy;
import io.graylight.contracts.json.Json;
import io.graylight.contracts.telemetry.Decoded;
import io.graylight.contracts.telemetry.TelemetryCodec;
import io.graylight.contracts.telemetry.TelemetryEvent;
import io.graylight.router.testing.TestKafka;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Helpers shared by the router's Kafka tests. */
final class RouterFixture {

    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final TelemetryCodec CODEC = new TelemetryCodec();

    private RouterFixture() {}

    static DecisionRecord decision(String release, long seq, Action action, double percent, Strategy strategy) {
        Instant now = Instant.now();
        return new DecisionRecord(release, seq, action, 1, percent, now, now, strategy, "test", List.of());
    }

    static void publish(TestKafka kafka, String prefix, DecisionRecord decision) throws Exception {
        kafka.sendTransactional(prefix + "decisions", decision.release(), Json.toBytes(decision));
    }

    static HttpResponse<String> chat(String baseUrl, String user, boolean stream, Map<String, String> headers) throws Exception {
        String body = "{\"model\":\"gpt-test\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}],\"max_tokens\":5"
                + (stream ? ",\"stream\":true,\"stream_options\":{\"include_usage\":true}" : "") + "}";
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + "/v1/chat/completions"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (user != null) {
            request.header("X-Graylight-User", user);
        }
        headers.forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> get(String url, String bearer) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET();
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static List<TelemetryEvent> telemetry(TestKafka kafka, String prefix) {
        return kafka.readCommitted(prefix + "telemetry").stream().map(r -> {
            Decoded decoded = CODEC.decode(r.value());
            if (!decoded.isValid()) {
                throw new AssertionError("router produced an invalid telemetry event: " + decoded + " in "
                        + new String(r.value(), java.nio.charset.StandardCharsets.UTF_8));
            }
            return decoded.event();
        }).toList();
    }
}
