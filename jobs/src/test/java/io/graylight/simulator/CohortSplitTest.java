package io.graylight.simulator;

import static io.graylight.simulator.SimulatorTesting.events;
import static io.graylight.simulator.SimulatorTesting.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.graylight.contracts.routing.CohortAssignment;
import io.graylight.contracts.telemetry.Cohort;
import io.graylight.contracts.telemetry.TelemetryEvent;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CohortSplitTest {

    @Test
    void canaryShareOfUsersIsNearThePercent() {
        for (double percent : new double[] {5, 10, 50}) {
            long canaryUsers = 0;
            long allUsers = 0;
            for (long seed = 1; seed <= 4; seed++) {
                SimulationConfig config = SimulationConfig.builder().seed(seed).canaryPercent(percent).users(5000).build();
                Map<String, Cohort> cohortByUser = new HashMap<>();
                for (TelemetryEvent event : events(run(config))) {
                    cohortByUser.put(event.userId(), event.cohort());
                }
                allUsers += cohortByUser.size();
                canaryUsers += cohortByUser.values().stream().filter(c -> c == Cohort.CANARY).count();
            }
            double p = percent / 100;
            double tolerance = 4 * Math.sqrt(p * (1 - p) / allUsers);
            assertThat(canaryUsers / (double) allUsers).as("canary share of users at %s %%", percent).isCloseTo(p, within(tolerance));
        }
    }

    @Test
    void aUserAlwaysLandsInTheSameCohortTheRouterWouldPick() {
        SimulationConfig config = SimulationConfig.builder().seed(9).releases(List.of("chat", "search")).canaryPercent(20).build();
        TrafficSimulator simulator = new TrafficSimulator(config);
        Map<String, Cohort> seen = new HashMap<>();
        simulator.forEach(record -> {
            TelemetryEvent event = record.event();
            String key = event.release() + "/" + event.userId();
            Cohort previous = seen.putIfAbsent(key, event.cohort());
            assertThat(previous == null || previous == event.cohort()).as("sticky cohort of %s", key).isTrue();
            assertThat(event.cohort()).isEqualTo(CohortAssignment.cohort(event.release(), event.userId(), 20));
        });
        // each release splits independently: some users are canary in one release only
        long splitUsers = simulator.users().all().stream()
                .filter(u -> simulator.cohortOf("chat", u.id()) != simulator.cohortOf("search", u.id()))
                .count();
        assertThat(splitUsers).isPositive();
    }

    @Test
    void usersHaveSegmentsAndSkewedActivity() {
        SimulationConfig config = SimulationConfig.builder().seed(4).build();
        List<TelemetryEvent> requests = SimulatorTesting.requests(run(config), e -> true);
        Map<String, Long> perUser = new HashMap<>();
        requests.forEach(r -> perUser.merge(r.userId(), 1L, Long::sum));
        long heaviest = perUser.values().stream().mapToLong(Long::longValue).max().orElseThrow();
        double mean = requests.size() / (double) config.users();
        assertThat(heaviest).as("a heavy user sends far more than the average").isGreaterThan((long) (20 * mean));
        for (String attribute : new String[] {"region", "tier", "platform"}) {
            assertThat(requests.stream().map(r -> r.segment().get(attribute)).distinct().count()).isGreaterThanOrEqualTo(3);
        }
        UserPopulation users = new TrafficSimulator(config).users();
        assertThat(users.all().stream().map(SimulatedUser::tier).distinct())
                .containsExactlyInAnyOrderElementsOf(UserPopulation.TIERS);
        assertThat(users.get(0).id()).isEqualTo("user-0000");
    }
}
