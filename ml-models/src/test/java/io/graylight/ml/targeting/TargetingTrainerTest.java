package io.graylight.ml.targeting;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import smile.validation.metric.AUC;

class TargetingTrainerTest {

    /** The floor the README states: held-out AUC of the kept model on simulated past rollouts. */
    static final double AUC_FLOOR = 0.70;

    @Test
    void keptModelRanksHeldOutUsersAboveTheFloor() {
        PastRollouts.Dataset train = PastRollouts.generate(11, 3_000);
        PastRollouts.Dataset test = PastRollouts.generate(12, 2_000);
        TargetingTrainer.Result result = new TargetingTrainer(3, 30).train(train.x(), train.y(), 5, null);
        assertThat(result.crossValidatedAuc()).containsOnlyKeys(TargetingTrainer.ALGORITHMS);
        double[] scores = Arrays.stream(test.x()).mapToDouble(result.model()::score).toArray();
        assertThat(AUC.of(test.y(), scores)).isGreaterThan(AUC_FLOOR);
    }

    @Test
    void trainingIsDeterministicForASeed() {
        PastRollouts.Dataset data = PastRollouts.generate(21, 800);
        TargetingTrainer trainer = new TargetingTrainer(2, 10);
        for (String algorithm : TargetingTrainer.ALGORITHMS) {
            TargetingModel a = trainer.fit(algorithm, data.x(), data.y(), 9);
            TargetingModel b = trainer.fit(algorithm, data.x(), data.y(), 9);
            for (double[] x : Arrays.copyOf(data.x(), 50)) {
                assertThat(a.score(x)).as(algorithm).isEqualTo(b.score(x));
            }
        }
        assertThat(PastRollouts.generate(21, 800).x()).isDeepEqualTo(data.x());
    }
}
