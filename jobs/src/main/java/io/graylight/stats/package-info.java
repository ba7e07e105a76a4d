/**
 * Anytime-valid statistics for judging a canary against its baseline while the data arrive.
 *
 * <p>The judge reads its verdict after every event (or micro-batch), so every bound here is a
 * <em>confidence sequence</em>: it holds at all sample sizes simultaneously, with probability at
 * least {@code 1 - alpha}, which makes acting at a data-dependent time (the first moment the
 * canary looks bad) legitimate. A fixed-sample test re-run on growing data is not: the
 * {@link io.graylight.stats.RepeatedFixedSampleJudge} is kept only to show by how much.
 *
 * <h2>One cohort: {@link io.graylight.stats.ConfidenceSequence}</h2>
 * <table>
 *   <caption>Method per metric kind</caption>
 *   <tr><th>kind</th><th>method</th><th>guarantee</th></tr>
 *   <tr><td>proportion (error, timeout, refusal, negative feedback)</td>
 *       <td>{@link io.graylight.stats.BernoulliConfidenceSequence}: conjugate beta-binomial mixture
 *       likelihood ratio, prior centred on the tested rate, inverted by root finding (Howard,
 *       Ramdas, McAuliffe and Sekhon 2021, "Time-uniform, nonparametric, nonasymptotic confidence
 *       sequences"; the two-category case of the Dirichlet-multinomial mixture of Lindon and Malek
 *       2022)</td>
 *       <td>exact, any n; width adapts to p(1-p)</td></tr>
 *   <tr><td>mean in [0, 1] (quality score)</td>
 *       <td>{@link io.graylight.stats.BoundedMeanConfidenceSequence}: predictable-plug-in
 *       empirical Bernstein (Waudby-Smith and Ramdas 2023, "Estimating means of bounded random
 *       variables by betting", Theorem 2)</td>
 *       <td>exact, any n; conservative</td></tr>
 *   <tr><td>mean of unbounded values &ge; 0 (cost)</td>
 *       <td>{@link io.graylight.stats.AsymptoticMeanConfidenceSequence}: Robbins' Gaussian
 *       mixture boundary with the running variance (Waudby-Smith, Arbour, Sinha, Kennedy and
 *       Ramdas 2021, "Time-uniform central limit theory and asymptotic confidence sequences")</td>
 *       <td><b>asymptotic</b>: needs a finite variance and a large sample; guarded by a minimum
 *       sample count and a variance floor</td></tr>
 *   <tr><td>quantile (latency, TTFT)</td>
 *       <td>{@link io.graylight.stats.QuantileConfidenceSequence}: {@code 1{X <= x_q}} is
 *       Bernoulli(q), so the beta-binomial mixture at {@code p = q} brackets the rank of
 *       {@code x_q}; the bounds are order statistics read from the {@link
 *       io.graylight.stats.QuantileSketch} and widened by its relative accuracy (Howard and Ramdas
 *       2022, "Sequential estimation of quantiles with applications to A/B-testing and best-arm
 *       identification")</td>
 *       <td>exact for any distribution, up to the sketch's stated accuracy</td></tr>
 * </table>
 * State is counters, running sums or a sketch, never raw values. The mixtures are tuned by a
 * design sample size and level ({@link io.graylight.stats.GuardSpec}); tuning moves where the
 * bounds are tightest, never their validity.
 *
 * <h2>Two cohorts: {@link io.graylight.stats.GuardComparison}</h2>
 * Each cohort's sequence is read at {@code alpha / 2}; opposite ends bound the canary's
 * worsening (a difference, or a ratio for relative margins) at all times with probability
 * {@code >= 1 - alpha}. WORSE when the lower bound exceeds the margin, SAFE when the upper bound
 * is within it. The union bound makes no assumption on how the two cohorts interleave or on the
 * traffic split: only observed counts enter. It is conservative (each cohort pays for its own
 * width), which is the price of staying exact for every metric kind, quantiles included.
 *
 * <h2>Many guards, many stages: {@link io.graylight.stats.AlphaBudget}</h2>
 * The plan's alpha is split over guards and judged stages (Bonferroni, optionally weighted by
 * stage), so the probability of any false rollback over the whole rollout stays below it.
 *
 * <h2>Assumptions</h2>
 * Within one stage, each cohort's observations are independent draws from one distribution.
 * Per-request data from sticky users or sessions are positively correlated, which makes every
 * method here (and any per-request test) optimistic. A metric that drifts within a stage (daily
 * load) breaks "one distribution"; both cohorts run concurrently, so drift that hits both alike
 * largely cancels in the comparison, but the guarantees are then approximate.
 */
package io.graylight.stats;
