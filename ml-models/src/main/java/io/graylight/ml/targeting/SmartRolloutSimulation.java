package io.graylight.ml.targeting;

import io.graylight.contracts.routing.CohortAssignment;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A simulated rollout of a bad canary over the {@link PastRollouts} population, once with the
 * {@code percentage} strategy (sticky hash buckets, {@link CohortAssignment}) and once with
 * {@code smart}, with the semantics of {@code TargetingScore}: at canary percent p, the top p % of
 * the scored users whose score is at least {@code minScore}; unscored users (no telemetry yet)
 * stay on the baseline. Each user's bad-experience draw is shared by both strategies (common
 * random numbers), so the difference is the selection alone.
 *
 * @param badCanaryShift how much worse than a typical canary this one is, in log-odds for every user
 */
public record SmartRolloutSimulation(double badCanaryShift, double minScore) {

    /** Users exposed to the canary and users who had a bad experience on it, at one stage. */
    public record Exposure(double percent, int percentageExposed, int percentageHarmed, int smartExposed, int smartHarmed) {}

    public List<Exposure> run(TargetingModel model, long seed, int users, double[] stages) {
        List<PastRollouts.User> population = PastRollouts.population(seed, users);
        List<Scored> scored = new ArrayList<>();
        boolean[] bad = new boolean[population.size()];
        SplittableRandom outcomes = new SplittableRandom(seed * 31 + 7);
        for (int i = 0; i < population.size(); i++) {
            PastRollouts.User user = population.get(i);
            bad[i] = outcomes.nextDouble() < user.badProbability(badCanaryShift);
            UserFeatures features = PastRollouts.features(user, seed);
            if (features.requests > 0) {
                scored.add(new Scored(i, model.score(features.vector())));
            }
        }
        scored.sort(Comparator.comparingDouble(Scored::score).reversed().thenComparingInt(Scored::index));
        List<Exposure> result = new ArrayList<>();
        for (double percent : stages) {
            int percentageExposed = 0;
            int percentageHarmed = 0;
            for (int i = 0; i < population.size(); i++) {
                if (CohortAssignment.isCanary("chat", population.get(i).id(), percent)) {
                    percentageExposed++;
                    percentageHarmed += bad[i] ? 1 : 0;
                }
            }
            int quota = (int) Math.round(scored.size() * percent / 100.0);
            int smartExposed = 0;
            int smartHarmed = 0;
            for (Scored s : scored) {
                if (smartExposed >= quota || s.score() < minScore) {
                    break;
                }
                smartExposed++;
                smartHarmed += bad[s.index()] ? 1 : 0;
            }
            result.add(new Exposure(percent, percentageExposed, percentageHarmed, smartExposed, smartHarmed));
        }
        return result;
    }

    private record Scored(int index, double score) {}
}
