package io.graylight.router;

import static io.graylight.router.RouterFixture.decision;
import static io.graylight.router.RouterFixture.publish;
import static io.graylight.router.RouterFixture.telemetry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.graylight.contracts.decision.Action;
import io.graylight.contracts.decision.Strategy;
import io.graylight.contracts.json.Json;
import io.graylight.contracts.telemetry.Cohort;
import io.graylight.contracts.telemetry.RequestStatus;
import io.graylight.contracts.telemetry.TelemetryEvent;
import io.graylight.router.embedded.RouterStack;
import io.graylight.router.testing.TestKafka;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The real {@code openai} npm client (Node 20, {@code src/test/node}, installed with {@code npm ci}
 * here when missing) calls the router for a normal and a streamed chat completion; the answers
 * arrive intact and matching telemetry events reach Kafka. Without Node the test is skipped
 * locally and fails on CI ({@code CI=true}), where {@code .ci/run} installs it.
 */
class OpenAiClientTest {

    private static final Path NODE_DIR = Path.of("src/test/node");

    @Test
    void theOpenAiNpmClientTalksThroughTheRouterAndTelemetryMatches() throws Exception {
        boolean hasNode = run(List.of("node", "--version"), Path.of(".")) == 0;
        if (!hasNode && !"true".equals(System.getenv("CI"))) {
            Assumptions.abort("node is not installed (CI installs Node 20 and runs this test)");
        }
        assertThat(hasNode).as("node on PATH").isTrue();
        if (!Files.isDirectory(NODE_DIR.resolve("node_modules/openai"))) {
            assertThat(run(List.of("npm", "ci", "--no-audit", "--no-fund"), NODE_DIR)).as("npm ci").isZero();
        }

        try (TestKafka kafka = TestKafka.start()) {
            String prefix = "openai.graylight.";
            kafka.createGraylightTopics(prefix);
            publish(kafka, prefix, decision("chat", 1, Action.START, 100.0, Strategy.percentage()));
            try (RouterStack stack = RouterStack.start(kafka.bootstrapServers(), prefix, List.of("chat"), 5, 1, false, "t")) {
                await().atMost(Duration.ofSeconds(30)).until(() -> stack.router().book().entry("chat") != null);

                Process node = new ProcessBuilder("node", "openai-client.mjs", stack.routerUrl() + "/v1")
                        .directory(NODE_DIR.toFile()).redirectErrorStream(true)
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
                String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(node.waitFor(60, TimeUnit.SECONDS)).isTrue();
                assertThat(node.exitValue()).as(output).isZero();

                List<JsonNode> calls = new ArrayList<>();
                for (String line : output.strip().split("\n")) {
                    calls.add(Json.MAPPER.readTree(line));
                }
                assertThat(calls).hasSize(2);
                JsonNode plain = calls.get(0);
                JsonNode streamed = calls.get(1);
                assertThat(plain.path("cohort").asText()).isEqualTo("canary");
                assertThat(plain.path("content").asText().split(" ")).hasSize(7);
                assertThat(plain.path("usage").path("completion_tokens").asInt()).isEqualTo(7);
                assertThat(streamed.path("cohort").asText()).isEqualTo("canary");
                assertThat(streamed.path("content").asText().strip().split(" ")).hasSize(9);
                assertThat(streamed.path("chunks").asInt()).isGreaterThanOrEqualTo(10);
                assertThat(streamed.path("usage").path("completion_tokens").asInt()).isEqualTo(9);

                List<TelemetryEvent> events = await().atMost(Duration.ofSeconds(20))
                        .until(() -> telemetry(kafka, prefix), e -> e.size() >= 2);
                for (JsonNode call : calls) {
                    TelemetryEvent event = events.stream().filter(e -> e.eventId().equals(call.path("requestId").asText()))
                            .findFirst().orElseThrow(() -> new AssertionError("no telemetry event for " + call));
                    assertThat(event.cohort()).isEqualTo(Cohort.CANARY);
                    assertThat(event.status()).isEqualTo(RequestStatus.OK);
                    assertThat(event.userId()).startsWith("key-"); // the API key, hashed
                    assertThat(event.userId()).doesNotContain("sk-graylight-test");
                    assertThat(event.inputTokens()).isEqualTo(call.path("usage").path("prompt_tokens").asLong());
                    assertThat(event.outputTokens()).isEqualTo(call.path("usage").path("completion_tokens").asLong());
                }
                TelemetryEvent streamedEvent = events.stream()
                        .filter(e -> e.eventId().equals(streamed.path("requestId").asText())).findFirst().orElseThrow();
                assertThat(streamedEvent.ttftMs()).isNotNull().isPositive().isLessThan(streamedEvent.latencyMs());
            }
        }
    }

    private static int run(List<String> command, Path dir) throws InterruptedException {
        try {
            // Never inherit the test JVM's streams: npm would switch surefire's stdin to non-blocking
            // ("std/in stream corrupted") and its output would corrupt surefire's channel.
            Process process = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(new java.io.File("target/npm-install.log")))
                    .start();
            return process.waitFor(5, TimeUnit.MINUTES) ? process.exitValue() : -1;
        } catch (IOException e) {
            return -1;
        }
    }
}
