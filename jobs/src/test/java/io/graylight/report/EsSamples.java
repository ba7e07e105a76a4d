package io.graylight.report;

import io.graylight.contracts.alert.Alert;
import io.graylight.contracts.alert.AlertScope;
import io.graylight.contracts.alert.AlertSource;
import io.graylight.contracts.alert.Effect;
import io.graylight.contracts.alert.MatchedEvents;
import io.graylight.contracts.alert.Severity;
import io.graylight.contracts.decision.Action;
import io.graylight.contracts.decision.DecisionRecord;
import io.graylight.contracts.decision.Evidence;
import io.graylight.contracts.decision.Strategy;
import io.graylight.contracts.metrics.CohortMetrics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The documents the report's Elasticsearch source test indexes into a real Elasticsearch: a rolled-back
 * rollout of {@code chat} spanning midnight UTC (two daily indices per family) and a little of another
 * release that the report must leave out.
 */
final class EsSamples {

    static final Instant START = Instant.parse("2026-11-30T23:50:00Z");

    private EsSamples() {}

    static List<CohortMetrics> metrics(String release, int windows) {
        Random random = new Random(release.hashCode());
        List<CohortMetrics> out = new ArrayList<>();
        for (int i = 0; i < windows; i++) {
            Instant start = START.plusSeconds(30L * i);
            for (String cohort : List.of("baseline", "canary")) {
                boolean faulty = cohort.equals("canary") && i >= 24;
                long requests = cohort.equals("canary") ? 200 + random.nextInt(50) : 600 + random.nextInt(100);
                long errors = Math.round(requests * (faulty ? 0.12 : 0.005) + random.nextInt(3));
                double p95 = 2000 + random.nextGaussian() * 200;
                out.add(new CohortMetrics(release, cohort, start, start.plusSeconds(30), requests, requests - errors, errors,
                        0, 0, 0, (double) errors / requests, 0.0, 0.0, 0.0, 600.0, 1500.0, p95, p95 * 2.4, requests, 300.0,
                        750.0 + random.nextGaussian() * 40, requests * 900, requests * 300, requests * 0.006, 0.006, requests, 0.8,
                        20, 5 + random.nextInt(5), i % 7 == 0 ? null : 0.2));
            }
        }
        return out;
    }

    static List<DecisionRecord> decisions(String release) {
        Strategy strategy = Strategy.percentage();
        return List.of(
                new DecisionRecord(release, 1, Action.START, 0, 10.0, START, START, strategy, "rollout started", List.of()),
                new DecisionRecord(release, 2, Action.PROMOTE, 1, 25.0, START.plusSeconds(240), START.plusSeconds(240), strategy,
                        "canary shown within the margin on every guard",
                        List.of(new Evidence("error_rate", 0.005, 0.004, "worsening-upper-bound", 0.01, 0.03, 5600, 1880))),
                new DecisionRecord(release, 3, Action.ROLLBACK, 1, 0.0, START.plusSeconds(780), START.plusSeconds(780), strategy,
                        "canary worse than baseline beyond the margin: error_rate <b>7.9%</b> vs 0.4%",
                        List.of(new Evidence("error_rate", 0.004, 0.079, "worsening-lower-bound", 0.031, 0.03, 2407, 806))));
    }

    static List<Alert> alerts(String release) {
        Instant t = START.plusSeconds(750);
        return List.of(
                new Alert(release + "-cep-1", AlertSource.CEP, "error-burst", Severity.CRITICAL, Effect.ROLLBACK, false, release,
                        AlertScope.CANARY, t, t.plusMillis(300), null, "canary error rate 12% over 30 s",
                        new MatchedEvents(3, t.minusSeconds(30), t, List.of("e1", "e2"), Map.of("errorRate", 0.12)), null),
                new Alert(release + "-anomaly-1", AlertSource.ANOMALY, "anomaly@v1", Severity.WARNING, Effect.HOLD, false, release,
                        AlertScope.CANARY, t.plusSeconds(20), t.plusSeconds(21), t.plusSeconds(320), "latency pattern unlike baseline",
                        new MatchedEvents(10, t, t.plusSeconds(20), List.of(), Map.of()), 0.93));
    }
}
