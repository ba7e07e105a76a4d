package io.graylight.contracts.targeting;

import java.time.Instant;

/**
 * A user's rollout-suitability score on the compacted {@code graylight.targeting} topic
 * (key = userId): the probability, by the named model, that the user has a good canary
 * experience. The {@code smart} strategy sends the highest-scoring users first: at canary
 * percent p, the top p % of scored users whose score is at least the plan's {@code minScore};
 * users without a score stay on the baseline.
 *
 * @param userId the user, also the record key
 * @param score probability in [0, 1]
 * @param model the model id, e.g. {@code targeting}
 * @param version the model version that scored, e.g. {@code v1}
 * @param updatedAt event time of the last telemetry that changed the user's features
 */
public record TargetingScore(String userId, double score, String model, String version, Instant updatedAt) {}
