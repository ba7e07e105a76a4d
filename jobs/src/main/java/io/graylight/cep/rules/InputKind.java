package io.graylight.cep.rules;

/**
 * What a rule's steps match.
 *
 * <ul>
 *   <li>{@code telemetry}: one telemetry event (request or feedback) per CEP event;
 *   <li>{@code metrics}: one canary-vs-baseline comparison per metrics window of a release: the
 *       canary's and the baseline's {@code CohortMetrics} of the same window, paired (a cohort
 *       without traffic in the window reads as zero requests).
 * </ul>
 */
public enum InputKind {
    TELEMETRY,
    METRICS
}
