package io.graylight.mockllm;

/**
 * Faults the mock LLM injects, changeable while it runs.
 *
 * @param errorRate share of calls answered 500 (an OpenAI-style server error)
 * @param rateLimitRate share of calls answered 429
 * @param slowFactor multiplies the latency model (1 = normal)
 * @param stallRate share of calls that stall {@code stallMs} before their first byte
 * @param stallMs how long a stall lasts
 * @param wrongUsage report usage ten times too high (a billing or accounting bug)
 * @param dropUsage leave usage out
 */
public record MockFaults(double errorRate, double rateLimitRate, double slowFactor, double stallRate, long stallMs,
        boolean wrongUsage, boolean dropUsage) {

    public static final MockFaults NONE = new MockFaults(0, 0, 1, 0, 30_000, false, false);

    public MockFaults {
        check("errorRate", errorRate);
        check("rateLimitRate", rateLimitRate);
        check("stallRate", stallRate);
        if (!(slowFactor > 0)) {
            throw new IllegalArgumentException("slowFactor must be > 0: " + slowFactor);
        }
        if (stallMs < 0) {
            throw new IllegalArgumentException("stallMs must be >= 0: " + stallMs);
        }
    }

    private static void check(String name, double rate) {
        if (!(rate >= 0 && rate <= 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1]: " + rate);
        }
    }

    public MockFaults withErrorRate(double rate) {
        return new MockFaults(rate, rateLimitRate, slowFactor, stallRate, stallMs, wrongUsage, dropUsage);
    }

    public MockFaults withSlowFactor(double factor) {
        return new MockFaults(errorRate, rateLimitRate, factor, stallRate, stallMs, wrongUsage, dropUsage);
    }

    public MockFaults withStalls(double rate, long ms) {
        return new MockFaults(errorRate, rateLimitRate, slowFactor, rate, ms, wrongUsage, dropUsage);
    }
}
