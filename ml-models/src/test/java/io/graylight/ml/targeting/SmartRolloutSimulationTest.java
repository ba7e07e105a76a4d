package io.graylight.ml.targeting;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A bad canary rolled out over simulated users: in its first stages (1 % and 5 %) the smart
 * strategy exposes fewer users to a bad experience than the percentage strategy, summed over many
 * seeds (populations the model never saw), and in most seeds on its own.
 */
class SmartRolloutSimulationTest {

    @Test
    void smartHarmsFewerUsersThanPercentageInTheFirstStages() {
        PastRollouts.Dataset train = PastRollouts.generate(101, 3_000);
        TargetingModel model = new TargetingTrainer(3, 30).fit("gradient-boosting", train.x(), train.y(), 1);
        SmartRolloutSimulation simulation = new SmartRolloutSimulation(1.0, 0.0);
        int smartHarmed = 0;
        int percentageHarmed = 0;
        int smartExposed = 0;
        int percentageExposed = 0;
        int seedsWhereSmartWins = 0;
        int seeds = 12;
        for (long seed = 1_000; seed < 1_000 + seeds; seed++) {
            List<SmartRolloutSimulation.Exposure> stages = simulation.run(model, seed, 4_000, new double[] {1, 5});
            int smart = stages.stream().mapToInt(SmartRolloutSimulation.Exposure::smartHarmed).sum();
            int percentage = stages.stream().mapToInt(SmartRolloutSimulation.Exposure::percentageHarmed).sum();
            smartHarmed += smart;
            percentageHarmed += percentage;
            smartExposed += stages.stream().mapToInt(SmartRolloutSimulation.Exposure::smartExposed).sum();
            percentageExposed += stages.stream().mapToInt(SmartRolloutSimulation.Exposure::percentageExposed).sum();
            seedsWhereSmartWins += smart < percentage ? 1 : 0;
        }
        System.out.printf("first stages over %d seeds: smart harmed %d of %d exposed, percentage harmed %d of %d exposed%n",
                seeds, smartHarmed, smartExposed, percentageHarmed, percentageExposed);
        // Both expose about as many users: the gain is in whom, not how many.
        assertThat((double) smartExposed).isCloseTo(percentageExposed, org.assertj.core.data.Percentage.withPercentage(25));
        assertThat(smartHarmed).isLessThan(percentageHarmed);
        assertThat(seedsWhereSmartWins).isGreaterThanOrEqualTo(seeds * 3 / 4);
    }
}
