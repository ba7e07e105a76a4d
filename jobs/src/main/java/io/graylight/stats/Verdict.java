package io.graylight.stats;

/** What one guard says about the canary at a given level. */
public enum Verdict {
    /** The canary is worse than the baseline by more than the margin (grounds for rollback). */
    WORSE,
    /** The canary is proven within the margin: the bound on its worsening is at most the margin. */
    SAFE,
    /** Neither yet: keep collecting (hold). */
    INCONCLUSIVE
}
