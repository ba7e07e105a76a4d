package io.graylight.router;

import static io.graylight.router.RouterFixture.chat;
import static io.graylight.router.RouterFixture.decision;
import static io.graylight.router.RouterFixture.get;
import static io.graylight.router.RouterFixture.publish;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.graylight.contracts.decision.Action;
import io.graylight.contracts.decision.Strategy;
import io.graylight.router.embedded.RouterStack;
import io.graylight.router.testing.TestKafka;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Kafka stops under a running router: it keeps routing on the last decision and says so. */
class RouterKafkaDownTest {

    @Test
    void theRouterKeepsServingTheLastDecisionWhenKafkaStops() throws Exception {
        TestKafka kafka = TestKafka.start();
        String prefix = "down.graylight.";
        RouterStack stack = null;
        try {
            kafka.createGraylightTopics(prefix);
            publish(kafka, prefix, decision("chat", 1, Action.START, 100.0, Strategy.percentage()));
            stack = RouterStack.start(kafka.bootstrapServers(), prefix, List.of("chat"), 1, 0.2, false, "t");
            RouterStack s = stack;
            // read from the beginning: the decision committed before the router started is in effect
            await().atMost(Duration.ofSeconds(30)).until(() -> s.router().follower().caughtUp());
            assertThat(cohort(s, "zoe")).isEqualTo("canary");

            kafka.close();
            await().atMost(Duration.ofSeconds(30)).until(() -> !s.router().follower().connected());

            for (int u = 0; u < 20; u++) {
                assertThat(cohort(s, "user-" + u)).isEqualTo("canary");
            }
            HttpResponse<String> ready = get(s.routerUrl() + "/readyz", null);
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(ready.body()).contains("\"status\":\"degraded\"").contains("last known decisions");
            assertThat(get(s.routerUrl() + "/metrics", null).body()).contains("graylight_router_kafka_connected 0.0");
        } finally {
            if (stack != null) {
                stack.close();
            }
            kafka.close();
        }
    }

    private static String cohort(RouterStack stack, String user) throws Exception {
        HttpResponse<String> response = chat(stack.routerUrl(), user, false, Map.of("X-Graylight-Release", "chat"));
        assertThat(response.statusCode()).isEqualTo(200);
        return response.headers().firstValue("X-Graylight-Cohort").orElseThrow();
    }
}
