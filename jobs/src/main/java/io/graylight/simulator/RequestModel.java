package io.graylight.simulator;

import io.graylight.contracts.telemetry.RequestStatus;

/**
 * How one LLM request turns out: status, latency, time to first token, tokens, cost, quality.
 *
 * <p>Latency follows the two phases of LLM inference: TTFT is a fixed overhead plus prefill time
 * per context token, decode time is per generated token, each with log-normal noise; a rare slow
 * node adds a natural tail. Small baseline rates of error, rate limiting, content filtering and
 * hung requests make the baseline cohort realistic rather than perfect.
 *
 * <p>Every call consumes the same number of random draws whatever the outcome and the faults, so
 * a fault changes what it targets and nothing else: a run with a canary fault has the same baseline
 * traffic as the run without it.
 */
final class RequestModel {

    static final double BASE_TTFT_MS = 150;
    static final double PREFILL_MS_PER_TOKEN = 0.08;
    static final double DECODE_MS_PER_TOKEN = 20;
    static final double TTFT_SIGMA = 0.25;
    static final double DECODE_SIGMA = 0.20;
    /** Probability and size of the natural tail: an overloaded replica, a cold cache. */
    static final double NATURAL_TAIL_PROBABILITY = 0.003;
    /** The router gives up here; the longest trace answer (1,899 tokens) normally fits. */
    static final double TIMEOUT_MS = 60_000;
    static final double STALL_MIN_MS = 10_000;
    static final double STALL_SPREAD_MS = 20_000;

    static final double ERROR_PROBABILITY = 0.005;
    static final double RATE_LIMITED_PROBABILITY = 0.003;
    static final double FILTERED_PROBABILITY = 0.005;
    /** Hung upstreams; slow answers past the timeout come on top. */
    static final double HUNG_PROBABILITY = 0.002;

    /** Fixed list prices per token, in the range of 2023-2025 hosted models. */
    static final double INPUT_USD_PER_TOKEN = 3.0e-6;
    static final double OUTPUT_USD_PER_TOKEN = 15.0e-6;

    /** Quality ~ Beta(8, 2): mean 0.8, most answers between 0.6 and 0.95. */
    private static final int QUALITY_ALPHA = 8;
    private static final int QUALITY_BETA = 2;

    private RequestModel() {}

    /** What the telemetry reports about one request; null fields are left out of the event. */
    record Outcome(
            RequestStatus status,
            double latencyMs,
            Double ttftMs,
            long inputTokens,
            long outputTokens,
            double costUsd,
            Double qualityScore) {}

    static Outcome outcome(SimRandom random, int contextTokens, int generatedTokens, FaultEffects faults) {
        // Draw everything first, in a fixed order, so faults never shift the random stream.
        double statusDraw = random.nextDouble();
        double ttftNoise = SimRandom.logNormal(random.nextGaussian(), TTFT_SIGMA);
        double decodeNoise = SimRandom.logNormal(random.nextGaussian(), DECODE_SIGMA);
        double fastNoise = random.nextGaussian();
        boolean naturalTail = random.nextDouble() < NATURAL_TAIL_PROBABILITY;
        double tailFactor = 2.0 + 4.0 * random.nextDouble();
        boolean stalled = random.nextDouble() < faults.stallProbability();
        double stallMs = STALL_MIN_MS + STALL_SPREAD_MS * random.nextDouble();
        int refusalTokens = 8 + random.nextInt(25);
        double quality = beta(random);

        double ttft = (BASE_TTFT_MS + PREFILL_MS_PER_TOKEN * contextTokens) * ttftNoise;
        double decode = generatedTokens * DECODE_MS_PER_TOKEN * decodeNoise;
        if (naturalTail) {
            ttft *= tailFactor;
            decode *= tailFactor;
        }
        ttft *= faults.ttftMultiplier() * faults.latencyMultiplier();
        decode *= faults.latencyMultiplier();
        if (stalled) {
            decode += stallMs;
        }

        // A cost fault bills more tokens (more context stuffed in, longer answers) at the same speed.
        long inputTokens = Math.round(contextTokens * faults.costMultiplier());
        double errorBound = Math.min(1.0, ERROR_PROBABILITY + faults.extraErrorProbability());
        double rateLimitedBound = errorBound + RATE_LIMITED_PROBABILITY;
        double filteredBound = rateLimitedBound + FILTERED_PROBABILITY;
        double hungBound = filteredBound + HUNG_PROBABILITY;

        if (statusDraw < errorBound) {
            // Upstream 5xx: fast, nothing generated, nothing billed.
            return failedFast(RequestStatus.ERROR, 80 * SimRandom.logNormal(fastNoise, 0.5), inputTokens);
        }
        if (statusDraw < rateLimitedBound) {
            return failedFast(RequestStatus.RATE_LIMITED, 15 * SimRandom.logNormal(fastNoise, 0.4), inputTokens);
        }
        if (statusDraw < filteredBound) {
            // Refused after reading the prompt: a short canned answer, billed.
            double ttftMs = round1(ttft);
            double latencyMs = ttftMs + round1(refusalTokens * DECODE_MS_PER_TOKEN * decodeNoise);
            long outputTokens = Math.round(refusalTokens * faults.costMultiplier());
            return new Outcome(RequestStatus.FILTERED, latencyMs, ttftMs, inputTokens, outputTokens,
                    cost(inputTokens, outputTokens), null);
        }
        if (statusDraw < hungBound) {
            return new Outcome(RequestStatus.TIMEOUT, TIMEOUT_MS, null, inputTokens, 0, cost(inputTokens, 0), null);
        }
        if (ttft + decode > TIMEOUT_MS) {
            return timedOut(ttft, decode, inputTokens, generatedTokens, faults);
        }
        double ttftMs = round1(ttft);
        long outputTokens = Math.round(generatedTokens * faults.costMultiplier());
        double qualityScore = round3(Math.max(0.0, Math.min(1.0, quality - faults.qualityDrop())));
        return new Outcome(RequestStatus.OK, ttftMs + round1(decode), ttftMs, inputTokens, outputTokens,
                cost(inputTokens, outputTokens), qualityScore);
    }

    /** Cut off at the timeout: billed for the tokens streamed so far. */
    private static Outcome timedOut(double ttft, double decode, long inputTokens, int generatedTokens, FaultEffects faults) {
        if (ttft >= TIMEOUT_MS) {
            return new Outcome(RequestStatus.TIMEOUT, TIMEOUT_MS, null, inputTokens, 0, cost(inputTokens, 0), null);
        }
        double streamedFraction = (TIMEOUT_MS - ttft) / decode;
        long outputTokens = Math.round(Math.floor(generatedTokens * streamedFraction) * faults.costMultiplier());
        return new Outcome(RequestStatus.TIMEOUT, TIMEOUT_MS, Math.min(round1(ttft), TIMEOUT_MS), inputTokens,
                outputTokens, cost(inputTokens, outputTokens), null);
    }

    private static Outcome failedFast(RequestStatus status, double latency, long inputTokens) {
        return new Outcome(status, Math.max(1.0, round1(latency)), null, inputTokens, 0, 0.0, null);
    }

    /** Cost follows the billed tokens, so a cost fault that inflates tokens inflates cost alike. */
    private static double cost(long inputTokens, long outputTokens) {
        double usd = inputTokens * INPUT_USD_PER_TOKEN + outputTokens * OUTPUT_USD_PER_TOKEN;
        return Math.round(usd * 1e8) / 1e8;
    }

    /** Beta with integer shapes as a ratio of Gamma sums of exponentials: exact and draw-count stable. */
    private static double beta(SimRandom random) {
        double a = 0;
        for (int i = 0; i < QUALITY_ALPHA; i++) {
            a += random.nextExponential();
        }
        double b = 0;
        for (int i = 0; i < QUALITY_BETA; i++) {
            b += random.nextExponential();
        }
        return a / (a + b);
    }

    static double round1(double value) {
        return Math.round(value * 10) / 10.0;
    }

    static double round3(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}
