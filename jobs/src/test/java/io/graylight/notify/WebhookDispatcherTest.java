package io.graylight.notify;

import static io.graylight.notify.Samples.alert;
import static io.graylight.notify.Samples.decision;
import static io.graylight.notify.Samples.target;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.graylight.contracts.alert.Effect;
import io.graylight.contracts.alert.Severity;
import io.graylight.contracts.decision.Action;
import io.graylight.notify.WebhookTarget.AlertFilter;
import io.graylight.notify.WebhookTarget.DecisionFilter;
import io.graylight.notify.WebhookTarget.Kind;
import io.graylight.notify.WebhookTarget.RateLimit;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Webhook delivery against a local HTTP receiver: payloads, retries, rate limit, full queues, filters. */
class WebhookDispatcherTest {

    WebhookReceiver receiver;
    WebhookDispatcher dispatcher;
    final AtomicLong clock = new AtomicLong();

    @BeforeEach
    void start() throws Exception {
        receiver = new WebhookReceiver();
    }

    @AfterEach
    void stop() throws Exception {
        receiver.release();
        if (dispatcher != null) {
            dispatcher.close(Duration.ofSeconds(5));
        }
        receiver.close();
    }

    private WebhookDispatcher dispatcher(WebhookTarget... targets) {
        dispatcher = new WebhookDispatcher(List.of(targets), HttpClient.newHttpClient(), clock::get);
        return dispatcher;
    }

    @Test
    void deliversSlackAndGenericPayloads() {
        dispatcher(target("slack", Kind.SLACK, receiver.url()), target("generic", Kind.GENERIC, receiver.url()));

        assertThat(dispatcher.offer(Notification.of(decision("chat", 3, Action.ROLLBACK)))).isEqualTo(2);

        await().until(() -> receiver.delivered().size() == 2);
        JsonNode slack = receiver.delivered().stream().filter(b -> b.has("blocks")).findFirst().orElseThrow();
        assertThat(slack.get("text").asText()).startsWith("chat ROLLBACK #3: canary 0% (stage 1): canary worse than baseline");
        assertThat(slack.get("blocks").get(0).get("text").get("text").asText()).isEqualTo("ROLLBACK chat");
        assertThat(slack.get("blocks").get(1).get("text").get("text").asText()).contains("• error_rate: baseline 0.004000, canary 0.07900");
        JsonNode generic = receiver.delivered().stream().filter(b -> b.has("decision")).findFirst().orElseThrow();
        assertThat(generic.get("type").asText()).isEqualTo("decision");
        assertThat(generic.get("summary").asText()).isEqualTo(slack.get("text").asText());
        assertThat(generic.get("decision").get("seq").asLong()).isEqualTo(3);
        assertThat(generic.get("decision").get("evidence").get(0).get("samplesCanary").asLong()).isEqualTo(806);
        assertThat(dispatcher.stats("slack").delivered()).isEqualTo(1);
        assertThat(dispatcher.stats("generic").delivered()).isEqualTo(1);
    }

    @Test
    void retriesAfter500sWithTheSameBodyUntilDelivered() {
        dispatcher(target("generic", Kind.GENERIC, receiver.url()));
        receiver.failFirst(3);

        dispatcher.offer(Notification.of(alert("a-1", Severity.CRITICAL, Effect.ROLLBACK)));

        await().until(() -> dispatcher.stats("generic").delivered() == 1);
        assertThat(receiver.requestCount()).isEqualTo(4);
        assertThat(receiver.rawRequests()).allSatisfy(body -> assertThat(body).isEqualTo(receiver.rawRequests().get(0)));
        assertThat(receiver.delivered()).singleElement().satisfies(b -> assertThat(b.get("alert").get("alertId").asText()).isEqualTo("a-1"));
        assertThat(dispatcher.stats("generic").retried()).isEqualTo(3);
        assertThat(dispatcher.stats("generic").failed()).isZero();
    }

    @Test
    void givesUpAfterMaxAttemptsAndCountsTheFailure() {
        dispatcher(target("generic", Kind.GENERIC, receiver.url()));
        receiver.failFirst(100);

        dispatcher.offer(Notification.of(alert("a-1", Severity.CRITICAL, Effect.ROLLBACK)));

        await().until(() -> dispatcher.stats("generic").failed() == 1);
        assertThat(receiver.requestCount()).isEqualTo(5);
        assertThat(dispatcher.stats("generic").delivered()).isZero();
    }

    @Test
    void rateLimitDropsTheExcessAndTheNextMessageSaysHowManyWereSuppressed() {
        WebhookTarget limited = target("slack", Kind.SLACK, receiver.url());
        dispatcher(new WebhookTarget(limited.name(), limited.kind(), limited.url(), limited.alerts(), limited.decisions(),
                new RateLimit(3, Duration.ofHours(1)), limited.queueCapacity(), limited.timeout(), limited.retry()));

        for (int i = 1; i <= 10; i++) {
            dispatcher.offer(Notification.of(alert("a-" + i, Severity.WARNING, Effect.HOLD)));
        }

        await().until(() -> dispatcher.stats("slack").delivered() + dispatcher.stats("slack").rateLimited() == 10);
        assertThat(dispatcher.stats("slack").delivered()).isEqualTo(3);
        assertThat(dispatcher.stats("slack").rateLimited()).isEqualTo(7);
        assertThat(receiver.delivered()).hasSize(3);

        clock.addAndGet(Duration.ofMinutes(21).toNanos()); // one token back (3 per hour), not two
        dispatcher.offer(Notification.of(alert("a-11", Severity.CRITICAL, Effect.ROLLBACK)));
        dispatcher.offer(Notification.of(alert("a-12", Severity.CRITICAL, Effect.ROLLBACK)));

        await().until(() -> dispatcher.stats("slack").delivered() + dispatcher.stats("slack").rateLimited() == 12);
        assertThat(dispatcher.stats("slack").delivered()).isEqualTo(4);
        assertThat(receiver.delivered().get(3).get("text").asText()).contains("(7 more suppressed by the rate limit)");
    }

    @Test
    void aFullQueueDropsAndCountsWithoutBlockingTheCaller() {
        WebhookTarget base = target("generic", Kind.GENERIC, receiver.url());
        dispatcher(new WebhookTarget(base.name(), base.kind(), base.url(), base.alerts(), base.decisions(), base.rateLimit(),
                2, base.timeout(), base.retry()));
        receiver.hold();

        int taken = 0;
        for (int i = 1; i <= 10; i++) {
            taken += dispatcher.offer(Notification.of(alert("a-" + i, Severity.WARNING, Effect.NOTIFY)));
        }

        // one in flight (held by the receiver) and two queued; the other seven were refused at once
        assertThat(taken).isEqualTo(3);
        assertThat(dispatcher.stats("generic").droppedQueueFull()).isEqualTo(7);
        receiver.release();
        await().until(() -> dispatcher.stats("generic").delivered() == 3);
        assertThat(receiver.delivered()).extracting(b -> b.get("alert").get("alertId").asText()).containsExactly("a-1", "a-2", "a-3");
    }

    @Test
    void filtersOnSeverityEffectAndActionPerTarget() {
        WebhookTarget base = target("pager", Kind.GENERIC, receiver.url());
        dispatcher(new WebhookTarget("pager", base.kind(), base.url(),
                new AlertFilter(Set.of(Severity.CRITICAL), Set.of(Effect.ROLLBACK), false),
                new DecisionFilter(Set.of(Action.ROLLBACK)), base.rateLimit(), base.queueCapacity(), base.timeout(), base.retry()));

        assertThat(dispatcher.offer(Notification.of(alert("warn", Severity.WARNING, Effect.ROLLBACK)))).isZero();
        assertThat(dispatcher.offer(Notification.of(alert("hold", Severity.CRITICAL, Effect.HOLD)))).isZero();
        assertThat(dispatcher.offer(Notification.of(decision("chat", 2, Action.PROMOTE)))).isZero();
        assertThat(dispatcher.offer(Notification.of(alert("page", Severity.CRITICAL, Effect.ROLLBACK)))).isEqualTo(1);
        assertThat(dispatcher.offer(Notification.of(decision("chat", 3, Action.ROLLBACK)))).isEqualTo(1);

        await().until(() -> dispatcher.stats("pager").delivered() == 2);
        assertThat(receiver.delivered()).extracting(b -> b.get("key").asText()).containsExactly("alert:page", "decision:chat#3");
    }
}
