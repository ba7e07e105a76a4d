/**
 * The LLM traffic simulator: cohort-tagged telemetry of a gray release, for tests, the demo,
 * benchmarks and model training, written to JSON Lines files, stdout or Kafka
 * ({@code graylight simulate}).
 *
 * <p>Arrivals and token counts replay the Azure LLM inference trace 2023 (code service; CC-BY 4.0,
 * Patel et al., "Splitwise: Efficient generative LLM inference using phase splitting", ISCA 2024);
 * latency, statuses, quality and feedback come from {@code RequestModel}
 * and {@code FeedbackModel}; {@link io.graylight.simulator.Fault}s inject
 * regressions into the canary or into both cohorts. Output is a pure function of the
 * {@link io.graylight.simulator.SimulationConfig}.
 */
package io.graylight.simulator;
