package io.graylight.contracts.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.graylight.contracts.decision.Strategy;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CanarySplitTest {

    private static final int USERS = 100_000;
    private static final Instant MONDAY_3AM = Instant.parse("2026-11-30T03:00:00Z");
    private static final Instant MONDAY_NOON = Instant.parse("2026-11-30T12:00:00Z");

    @ParameterizedTest(name = "release {0}")
    @ValueSource(strings = {"chat", "search", "agent-v2", "summarise"})
    void fivePercentOfOneHundredThousandUsersIsWithinHalfAPoint(String release) {
        CanarySplit split = CanarySplit.of(Strategy.percentage(), 5.0);
        long canary = 0;
        for (int u = 0; u < USERS; u++) {
            if (split.isCanary(release, "user-" + u, Map.of(), MONDAY_NOON, null)) {
                canary++;
            }
        }
        assertThat(100.0 * canary / USERS).isCloseTo(5.0, org.assertj.core.data.Offset.offset(0.5));
    }

    @Test
    void theSameUsersStayInTheCanaryAsThePercentGrows() {
        double[] stages = {1, 5, 10, 25, 50, 75, 100};
        Set<String> previous = new HashSet<>();
        for (double stage : stages) {
            CanarySplit split = CanarySplit.of(Strategy.percentage(), stage);
            Set<String> canary = new HashSet<>();
            for (int u = 0; u < USERS; u++) {
                String user = "u" + u;
                if (split.isCanary("chat", user, Map.of(), MONDAY_NOON, null)) {
                    canary.add(user);
                }
            }
            // HashSet lookups: AssertJ's containsAll compares element by element, quadratic at 100,000 users
            assertThat(previous).as("users of the previous stage still in the canary").allMatch(canary::contains);
            assertThat(100.0 * canary.size() / USERS).isCloseTo(stage, org.assertj.core.data.Offset.offset(0.5));
            previous = canary;
        }
        assertThat(previous).hasSize(USERS);
    }

    @Test
    void zeroPercentAfterARollbackServesNobody() {
        CanarySplit split = CanarySplit.of(Strategy.percentage(), 0.0);
        for (int u = 0; u < 10_000; u++) {
            assertThat(split.isCanary("chat", "u" + u, Map.of(), MONDAY_NOON, null)).isFalse();
        }
        assertThat(CanarySplit.BASELINE_ONLY.isCanary("chat", "u1", Map.of(), MONDAY_NOON, null)).isFalse();
    }

    private static Strategy segment() {
        return new Strategy("segment").with("attribute", "region").with("order", List.of("eu-west", "us-east", "ap-south"));
    }

    @Test
    void segmentsJoinInOrderAndThePercentAppliesWithinThem() {
        String[] regions = {"eu-west", "us-east", "ap-south", "sa-east"};
        // stage percent -> expected in-segment percent per region (eu-west, us-east, ap-south, unlisted)
        Map<Double, double[]> expected = Map.of(
                2.0, new double[] {6, 0, 0, 0},
                30.0, new double[] {90, 0, 0, 0},
                60.0, new double[] {100, 80, 0, 0},
                90.0, new double[] {100, 100, 70, 0},
                100.0, new double[] {100, 100, 100, 100});
        Map<String, Set<String>> previous = new HashMap<>();
        for (double stage : new double[] {2, 30, 60, 90, 100}) {
            CanarySplit split = CanarySplit.of(segment(), stage);
            for (int r = 0; r < regions.length; r++) {
                Set<String> canary = new HashSet<>();
                int users = 20_000;
                for (int u = 0; u < users; u++) {
                    String user = regions[r] + "-" + u;
                    if (split.isCanary("chat", user, Map.of("region", regions[r]), MONDAY_NOON, null)) {
                        canary.add(user);
                    }
                }
                assertThat(100.0 * canary.size() / users)
                        .as("%s at %s %%", regions[r], stage)
                        .isCloseTo(expected.get(stage)[r], org.assertj.core.data.Offset.offset(1.0));
                assertThat(previous.getOrDefault(regions[r], Set.of())).allMatch(canary::contains);
                previous.put(regions[r], canary);
            }
        }
    }

    @Test
    void usersWithoutTheAttributeWaitForOneHundredPercent() {
        CanarySplit split = CanarySplit.of(segment(), 99.0);
        for (int u = 0; u < 5_000; u++) {
            assertThat(split.isCanary("chat", "u" + u, Map.of("tier", "pro"), MONDAY_NOON, null)).isFalse();
        }
    }

    @Test
    void priorityFillsTheFirstClassesFirst() {
        Strategy priority = new Strategy("priority").with("attribute", "tier")
                .with("order", List.of("internal", "free", "pro", "enterprise"));
        CanarySplit split = CanarySplit.of(priority, 20.0);
        assertThat(split.segmentPercent("internal")).isEqualTo(80.0);
        assertThat(split.segmentPercent("free")).isZero();
        assertThat(split.segmentPercent("enterprise")).isZero();
        int internal = 0;
        int enterprise = 0;
        for (int u = 0; u < 10_000; u++) {
            internal += split.isCanary("chat", "u" + u, Map.of("tier", "internal"), MONDAY_NOON, null) ? 1 : 0;
            enterprise += split.isCanary("chat", "u" + u, Map.of("tier", "enterprise"), MONDAY_NOON, null) ? 1 : 0;
        }
        assertThat(internal).isBetween(7_700, 8_300);
        assertThat(enterprise).isZero();
    }

    @Test
    void scheduleServesTheCanaryOnlyInsideItsWindows() {
        Strategy schedule = new Strategy("schedule").with("windows", List.of("Mon-Fri 02:00-06:00 UTC"));
        CanarySplit split = CanarySplit.of(schedule, 50.0);
        int inside = 0;
        int outside = 0;
        for (int u = 0; u < 10_000; u++) {
            inside += split.isCanary("chat", "u" + u, Map.of(), MONDAY_3AM, null) ? 1 : 0;
            outside += split.isCanary("chat", "u" + u, Map.of(), MONDAY_NOON, null) ? 1 : 0;
        }
        assertThat(inside).isBetween(4_700, 5_300);
        assertThat(outside).isZero();
    }

    @Test
    void smartTakesTheTopScoredUsersAboveTheMinimumAndNeverTheUnscored() {
        Random random = new Random(42);
        Map<String, Double> scores = new HashMap<>();
        for (int u = 0; u < 10_000; u++) {
            scores.put("u" + u, random.nextDouble());
        }
        TargetingRanking ranking = TargetingRanking.of(scores);
        Strategy smart = new Strategy("smart").with("model", "targeting").with("minScore", 0.6);

        CanarySplit at25 = CanarySplit.of(smart, 25.0);
        Set<String> canary25 = new HashSet<>();
        for (String user : scores.keySet()) {
            if (at25.isCanary("chat", user, Map.of(), MONDAY_NOON, ranking)) {
                canary25.add(user);
            }
        }
        // the top 25 % of uniform scores are those above ~0.75, all above minScore
        assertThat(canary25.size()).isEqualTo(2_500);
        double lowestIn = canary25.stream().mapToDouble(scores::get).min().orElseThrow();
        double highestOut = scores.entrySet().stream().filter(e -> !canary25.contains(e.getKey()))
                .mapToDouble(Map.Entry::getValue).max().orElseThrow();
        assertThat(lowestIn).isGreaterThanOrEqualTo(highestOut);

        // at 80 %, minScore caps it: only the ~40 % scored >= 0.6
        CanarySplit at80 = CanarySplit.of(smart, 80.0);
        Set<String> canary80 = new HashSet<>();
        for (String user : scores.keySet()) {
            if (at80.isCanary("chat", user, Map.of(), MONDAY_NOON, ranking)) {
                canary80.add(user);
            }
        }
        assertThat(canary25).allMatch(canary80::contains);
        assertThat(canary80).allSatisfy(user -> assertThat(scores.get(user)).isGreaterThanOrEqualTo(0.6));
        assertThat(canary80.size()).isEqualTo((int) scores.values().stream().filter(s -> s >= 0.6).count());
        assertThat(at80.isCanary("chat", "never-scored", Map.of(), MONDAY_NOON, ranking)).isFalse();
        assertThat(at80.isCanary("chat", "u1", Map.of(), MONDAY_NOON, null)).isFalse();
    }

    @Test
    void anUnknownOrIncompleteStrategyIsRefusedWithTheReason() {
        assertThatThrownBy(() -> CanarySplit.of(new Strategy("geo"), 5)).hasMessageContaining("unknown strategy type 'geo'");
        assertThatThrownBy(() -> CanarySplit.of(new Strategy("segment").with("attribute", "region"), 5))
                .hasMessageContaining("'order' must be a list");
        assertThatThrownBy(() -> CanarySplit.of(new Strategy("smart").with("minScore", 2), 5))
                .hasMessageContaining("minScore");
        assertThatThrownBy(() -> CanarySplit.of(new Strategy("schedule").with("windows", List.of("Mon 02:00-06:00")), 5))
                .hasMessageContaining("missing time zone");
    }
}
