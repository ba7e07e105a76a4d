package io.graylight.router;

import static io.graylight.router.RouterFixture.chat;
import static io.graylight.router.RouterFixture.decision;
import static io.graylight.router.RouterFixture.get;
import static io.graylight.router.RouterFixture.publish;
import static io.graylight.router.RouterFixture.telemetry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.graylight.contracts.decision.Action;
import io.graylight.contracts.decision.Strategy;
import io.graylight.contracts.telemetry.Cohort;
import io.graylight.contracts.telemetry.EventType;
import io.graylight.contracts.telemetry.RequestStatus;
import io.graylight.contracts.telemetry.TelemetryEvent;
import io.graylight.mockllm.MockFaults;
import io.graylight.router.embedded.RouterStack;
import io.graylight.router.testing.TestKafka;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The router against the real in-JVM broker and two mock upstreams: decisions route, telemetry flows. */
class RouterKafkaTest {

    private static final AtomicInteger TOPICS = new AtomicInteger();
    private static TestKafka kafka;
    private RouterStack stack;
    private String prefix;

    @BeforeAll
    static void startKafka() throws Exception {
        kafka = TestKafka.start();
    }

    @AfterAll
    static void stopKafka() throws Exception {
        kafka.close();
    }

    private RouterStack start(boolean retry) throws Exception {
        prefix = "t" + TOPICS.incrementAndGet() + ".graylight.";
        kafka.createGraylightTopics(prefix);
        stack = RouterStack.start(kafka.bootstrapServers(), prefix, List.of("chat"), 2, 0.5, retry, "s3cret");
        await().atMost(Duration.ofSeconds(30)).until(() -> stack.router().follower().caughtUp());
        return stack;
    }

    @AfterEach
    void stop() throws Exception {
        if (stack != null) {
            stack.close();
        }
    }

    private String cohortOf(String user) throws Exception {
        HttpResponse<String> response = chat(stack.routerUrl(), user, false, Map.of("X-Graylight-Release", "chat"));
        assertThat(response.statusCode()).isEqualTo(200);
        return response.headers().firstValue("X-Graylight-Cohort").orElseThrow();
    }

    @Test
    void withoutADecisionEveryoneGetsTheBaselineThenDecisionsMoveTraffic() throws Exception {
        start(false);
        assertThat(cohortOf("alice")).isEqualTo("baseline");

        publish(kafka, prefix, decision("chat", 1, Action.START, 100.0, Strategy.percentage()));
        await().atMost(Duration.ofSeconds(10)).until(() -> cohortOf("alice").equals("canary"));
        assertThat(cohortOf("bob")).isEqualTo("canary");

        publish(kafka, prefix, decision("chat", 2, Action.ROLLBACK, 100.0, Strategy.percentage()));
        await().atMost(Duration.ofSeconds(10)).until(() -> cohortOf("alice").equals("baseline"));
        assertThat(cohortOf("bob")).isEqualTo("baseline");

        // a stale (replayed) decision does not undo the rollback
        publish(kafka, prefix, decision("chat", 2, Action.PROMOTE, 100.0, Strategy.percentage()));
        publish(kafka, prefix, decision("chat", 3, Action.HOLD, 0.0, Strategy.percentage()));
        await().atMost(Duration.ofSeconds(10)).until(() -> stack.router().book().entry("chat").decision().seq() == 3);
        assertThat(cohortOf("alice")).isEqualTo("baseline");
    }

    @Test
    void aSegmentDecisionRoutesByTheRegionHeader() throws Exception {
        start(false);
        Strategy segment = new Strategy("segment").with("attribute", "region").with("order", List.of("eu-west", "us-east"));
        publish(kafka, prefix, decision("chat", 1, Action.PROMOTE, 50.0, segment));
        await().atMost(Duration.ofSeconds(10)).until(() -> stack.router().book().entry("chat") != null);
        for (int u = 0; u < 20; u++) {
            HttpResponse<String> eu = chat(stack.routerUrl(), "u" + u, false, Map.of("X-Graylight-Release", "chat", "X-Graylight-Region", "eu-west"));
            HttpResponse<String> us = chat(stack.routerUrl(), "u" + u, false, Map.of("X-Graylight-Release", "chat", "X-Graylight-Region", "us-east"));
            assertThat(eu.headers().firstValue("X-Graylight-Cohort")).contains("canary");
            assertThat(us.headers().firstValue("X-Graylight-Cohort")).contains("baseline");
        }
        List<TelemetryEvent> events = awaitEvents(40);
        assertThat(events).filteredOn(e -> "eu-west".equals(e.segment().get("region"))).allMatch(e -> e.cohort() == Cohort.CANARY);
    }

    @Test
    void everyCallBecomesOneTelemetryEventWithUsageTtftAndCost() throws Exception {
        start(false);
        publish(kafka, prefix, decision("chat", 1, Action.START, 100.0, Strategy.percentage()));
        await().atMost(Duration.ofSeconds(10)).until(() -> stack.router().book().entry("chat") != null);

        HttpResponse<String> plain = chat(stack.routerUrl(), "carol", false, Map.of("X-Graylight-Release", "chat"));
        HttpResponse<String> streamed = chat(stack.routerUrl(), "carol", true, Map.of("X-Graylight-Release", "chat"));
        assertThat(plain.body()).contains("\"chat.completion\"");
        assertThat(streamed.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/event-stream");
        assertThat(streamed.body()).contains("chat.completion.chunk").endsWith("data: [DONE]\n\n");

        List<TelemetryEvent> events = awaitEvents(2);
        TelemetryEvent first = events.stream().filter(e -> e.eventId().equals(plain.headers().firstValue("X-Graylight-Request-Id").orElseThrow()))
                .findFirst().orElseThrow();
        TelemetryEvent second = events.stream().filter(e -> e.eventId().equals(streamed.headers().firstValue("X-Graylight-Request-Id").orElseThrow()))
                .findFirst().orElseThrow();
        for (TelemetryEvent e : List.of(first, second)) {
            assertThat(e.release()).isEqualTo("chat");
            assertThat(e.cohort()).isEqualTo(Cohort.CANARY);
            assertThat(e.version()).isEqualTo("v2");
            assertThat(e.userId()).isEqualTo("carol");
            assertThat(e.status()).isEqualTo(RequestStatus.OK);
            assertThat(e.outputTokens()).isEqualTo(5L);
            assertThat(e.inputTokens()).isPositive();
            assertThat(e.costUsd()).isCloseTo((e.inputTokens() * 0.0005 + 5 * 0.0015) / 1000, org.assertj.core.data.Offset.offset(1e-12));
        }
        assertThat(first.ttftMs()).isNull();
        assertThat(second.ttftMs()).isNotNull().isLessThanOrEqualTo(second.latencyMs());

        // feedback on the streamed call becomes a feedback event of the same cohort and user
        HttpResponse<String> feedback = RouterFixture.HTTP.send(HttpRequest.newBuilder(URI.create(stack.routerUrl() + "/v1/feedback"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"requestId\":\"" + second.eventId() + "\",\"score\":-1}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(feedback.statusCode()).isEqualTo(202);
        TelemetryEvent rating = awaitEvents(3).stream().filter(e -> e.type() == EventType.FEEDBACK).findFirst().orElseThrow();
        assertThat(rating.requestId()).isEqualTo(second.eventId());
        assertThat(rating.score()).isEqualTo(-1);
        assertThat(rating.cohort()).isEqualTo(Cohort.CANARY);
        assertThat(rating.userId()).isEqualTo("carol");
        HttpResponse<String> unknown = RouterFixture.HTTP.send(HttpRequest.newBuilder(URI.create(stack.routerUrl() + "/v1/feedback"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"requestId\":\"nope\",\"score\":1}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(unknown.statusCode()).isEqualTo(404);
    }

    @Test
    void aFailingCanaryIsRecordedAsErrorsAndServedAsErrors() throws Exception {
        start(false);
        stack.setCanaryFaults(MockFaults.NONE.withErrorRate(1.0));
        publish(kafka, prefix, decision("chat", 1, Action.START, 100.0, Strategy.percentage()));
        await().atMost(Duration.ofSeconds(10)).until(() -> stack.router().book().entry("chat") != null);
        HttpResponse<String> response = chat(stack.routerUrl(), "dave", false, Map.of("X-Graylight-Release", "chat"));
        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.headers().firstValue("X-Graylight-Cohort")).contains("canary");
        assertThat(awaitEvents(1)).singleElement().satisfies(e -> {
            assertThat(e.cohort()).isEqualTo(Cohort.CANARY);
            assertThat(e.status()).isEqualTo(RequestStatus.ERROR);
        });
    }

    @Test
    void aDownCanaryIsRetriedOnTheBaselineWhenEnabledAndTheFailureIsStillRecorded() throws Exception {
        start(true);
        stack.canary().close(); // the canary upstream is gone: connection refused
        publish(kafka, prefix, decision("chat", 1, Action.START, 100.0, Strategy.percentage()));
        await().atMost(Duration.ofSeconds(10)).until(() -> stack.router().book().entry("chat") != null);
        HttpResponse<String> response = chat(stack.routerUrl(), "erin", false, Map.of("X-Graylight-Release", "chat"));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-Graylight-Cohort")).contains("baseline");
        List<TelemetryEvent> events = awaitEvents(2);
        assertThat(events).extracting(TelemetryEvent::cohort, TelemetryEvent::status)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple(Cohort.CANARY, RequestStatus.ERROR),
                        org.assertj.core.groups.Tuple.tuple(Cohort.BASELINE, RequestStatus.OK));
        assertThat(stack.router().metrics().scrape()).contains("graylight_router_canary_retries_total 1.0");
    }

    @Test
    void adminEndpointsRefuseRequestsWithoutTheToken() throws Exception {
        start(false);
        assertThat(get(stack.routerUrl() + "/admin/state", null).statusCode()).isEqualTo(401);
        assertThat(get(stack.routerUrl() + "/admin/state", "wrong").statusCode()).isEqualTo(401);
        HttpResponse<String> state = get(stack.routerUrl() + "/admin/state", "s3cret");
        assertThat(state.statusCode()).isEqualTo(200);
        assertThat(state.body()).contains("\"chat\"").contains("baseline only (no decision)");
        assertThat(get(stack.routerUrl() + "/healthz", null).statusCode()).isEqualTo(200);
        assertThat(get(stack.routerUrl() + "/readyz", null).body()).contains("\"status\":\"ready\"");
        assertThat(get(stack.routerUrl() + "/metrics", null).body()).contains("graylight_router_kafka_connected 1.0");
    }

    private List<TelemetryEvent> awaitEvents(int count) {
        return await().atMost(Duration.ofSeconds(20)).until(() -> telemetry(kafka, prefix), events -> events.size() >= count);
    }
}
