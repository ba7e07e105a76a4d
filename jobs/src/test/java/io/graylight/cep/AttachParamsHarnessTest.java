package io.graylight.cep;

import static org.assertj.core.api.Assertions.assertThat;

import io.graylight.cep.job.AttachParams;
import io.graylight.cep.job.AttachTelemetryParams;
import io.graylight.cep.job.ParamsUpdate;
import io.graylight.cep.job.RoutedRuleEvent;
import io.graylight.cep.job.RuleEvent;
import io.graylight.cep.rules.Rule;
import io.graylight.cep.rules.RuleParser;
import io.graylight.contracts.telemetry.Cohort;
import io.graylight.contracts.telemetry.RequestStatus;
import io.graylight.contracts.telemetry.TelemetryEvent;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithNonKeyedOperator;
import org.apache.flink.streaming.util.TwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The params join upstream of CEP (operator harness): an accepted update changes which events match; a bad one is refused. */
class AttachParamsHarnessTest {

    @Test
    void anUpdateChangesTheMatchesOfLaterEventsAndABadOneIsRefused() throws Exception {
        Rule rule = RuleParser.parse(LiveParamsKafkaTest.RULE, "slow-request.yaml").get(0);
        var operator = new CoBroadcastWithNonKeyedOperator<>(new AttachTelemetryParams(List.of(rule)),
                List.of(AttachParams.PARAMS, AttachParams.PARAMS_BASE));
        try (var harness = new TwoInputStreamOperatorTestHarness<TelemetryEvent, ParamsUpdate, RoutedRuleEvent>(operator)) {
            harness.open();
            harness.processElement1(request("e1", 500), 1);
            harness.processElement1(request("e2", 20_000), 2);
            harness.processElement2(new ParamsUpdate("slow-request", Map.of("maxLatencyMs", 300)), 3);
            harness.processElement1(request("e3", 500), 4);
            harness.processElement2(new ParamsUpdate("slow-request", Map.of("maxLatencyMs", "fast")), 5); // wrong type: refused
            harness.processElement2(new ParamsUpdate("slow-request", Map.of("maxLatencyMss", 1.0)), 6);   // unknown: refused
            harness.processElement1(request("e4", 400), 7);

            List<RoutedRuleEvent> routed = harness.extractOutputValues();
            assertThat(routed).extracting(r -> r.rule).containsOnly("slow-request");
            List<RuleEvent> out = routed.stream().map(r -> r.event).toList();
            // relaxed contiguity: only matching events go on, each with the threshold it met
            assertThat(out).extracting(e -> e.eventId).containsExactly("e2", "e3", "e4");
            assertThat(out).extracting(e -> e.values.get("params.maxLatencyMs")).containsExactly(10_000.0, 300.0, 300.0);
            assertThat(out).extracting(e -> e.key).containsOnly("chat/canary");
        }
    }

    @Test
    void mergeKeepsOtherParamsAndChecksTypes() throws Exception {
        Rule rule = RuleParser.parse(LiveParamsKafkaTest.RULE, "slow-request.yaml").get(0);
        assertThat(AttachParams.merge(rule, rule.params(), new ParamsUpdate("slow-request", Map.of("maxLatencyMs", 5))).right())
                .containsExactly(Map.entry("maxLatencyMs", 5.0));
        assertThat(AttachParams.merge(rule, rule.params(), new ParamsUpdate("slow-request", Map.of("maxLatencyMs", true))).left())
                .isEqualTo("param 'maxLatencyMs' must be a number, got true");
        assertThat(AttachParams.merge(rule, rule.params(), new ParamsUpdate("slow-request", Map.of())).left())
                .isEqualTo("no params given");
    }

    static TelemetryEvent request(String id, double latencyMs) {
        return TelemetryEvent.request(id, Instant.parse("2026-12-01T10:00:00Z"), "chat", Cohort.CANARY, "v2", "u", Map.of(),
                RequestStatus.OK, latencyMs, 10.0, 1L, 1L, 0.001, 0.9);
    }
}
