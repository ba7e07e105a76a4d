package io.graylight.contracts.routing;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * A snapshot of the {@code graylight.targeting} scores ranked for the {@code smart} strategy: at
 * canary percent p a user is eligible when their rank is within the top p % of all scored users
 * and their score is at least the plan's {@code minScore} (see
 * {@link io.graylight.contracts.targeting.TargetingScore}). Ties are broken by user id so every
 * router ranks alike. Immutable: build a new one when scores change.
 */
public final class TargetingRanking {

    public static final TargetingRanking EMPTY = of(Map.of());

    private final Map<String, Integer> rank;
    private final Map<String, Double> scores;

    private TargetingRanking(Map<String, Integer> rank, Map<String, Double> scores) {
        this.rank = rank;
        this.scores = scores;
    }

    /** Ranks {@code scores} (userId to score in [0, 1]), highest first. */
    public static TargetingRanking of(Map<String, Double> scores) {
        String[] users = scores.keySet().toArray(new String[0]);
        Arrays.sort(users, (a, b) -> {
            int byScore = Double.compare(scores.get(b), scores.get(a));
            return byScore != 0 ? byScore : a.compareTo(b);
        });
        Map<String, Integer> rank = new HashMap<>(users.length * 2);
        for (int i = 0; i < users.length; i++) {
            rank.put(users[i], i);
        }
        return new TargetingRanking(rank, Map.copyOf(scores));
    }

    /** Whether {@code userId} is among the top {@code percent} % of scored users and scored at least {@code minScore}. */
    public boolean isTop(String userId, double percent, double minScore) {
        Integer position = rank.get(userId);
        if (position == null || scores.get(userId) < minScore) {
            return false;
        }
        // rank r (from 0) is in the top p % when r < p % of n, rounded like CohortAssignment's buckets
        return position < Math.round(percent / 100.0 * rank.size());
    }

    public int size() {
        return rank.size();
    }

    /** The user's score, or null when unscored. */
    public Double score(String userId) {
        return scores.get(userId);
    }
}
