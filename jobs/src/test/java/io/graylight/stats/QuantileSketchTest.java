package io.graylight.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class QuantileSketchTest {

    private static final double[] QUANTILES = {0.5, 0.9, 0.95, 0.99, 0.999};

    /** LLM latencies: log-normal body, heavy tail from stalls, and the odd instant failure. */
    private static DoubleSupplier llmLatencies(SplittableRandom random) {
        return () -> {
            double ttft = 150 + 0.08 * random.nextInt(8000);
            double decode = random.nextInt(1, 400) * 20 * Math.exp(0.3 * gaussian(random));
            double latency = ttft * Math.exp(0.25 * gaussian(random)) + decode;
            if (random.nextDouble() < 0.01) {
                latency += 10_000 + random.nextDouble() * 20_000;
            }
            if (random.nextDouble() < 0.005) {
                latency = random.nextDouble() * 5;
            }
            return latency;
        };
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
    void quantilesStayWithinOnePercentOfExactOnSimulatedLatencies(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int n = 1 + random.nextInt(50_000);
        double[] values = new double[n];
        QuantileSketch sketch = new QuantileSketch();
        DoubleSupplier latencies = llmLatencies(random);
        for (int i = 0; i < n; i++) {
            values[i] = latencies.getAsDouble();
            sketch.add(values[i]);
        }
        Arrays.sort(values);
        for (double q : QUANTILES) {
            double exact = values[(int) Math.floor(q * (n - 1))];
            assertThat(sketch.quantile(q)).as("q%s of %d values", q, n).isCloseTo(exact, within(0.01 * exact));
        }
        assertThat(sketch.count()).isEqualTo(n);
    }

    @Test
    void mergedSketchesAnswerLikeOneSketchOverAllValues() {
        SplittableRandom random = new SplittableRandom(42);
        DoubleSupplier latencies = llmLatencies(random);
        QuantileSketch left = new QuantileSketch();
        QuantileSketch right = new QuantileSketch();
        double[] values = new double[20_000];
        for (int i = 0; i < values.length; i++) {
            values[i] = latencies.getAsDouble();
            (i % 3 == 0 ? left : right).add(values[i]);
        }
        left.merge(right);
        Arrays.sort(values);
        for (double q : QUANTILES) {
            double exact = values[(int) Math.floor(q * (values.length - 1))];
            assertThat(left.quantile(q)).isCloseTo(exact, within(0.01 * exact));
        }
    }

    @Test
    void survivesSerialization() {
        QuantileSketch sketch = new QuantileSketch();
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 5_000; i++) {
            sketch.add(llmLatencies(random).getAsDouble());
        }
        QuantileSketch restored = QuantileSketch.fromBytes(sketch.toBytes());
        assertThat(restored.count()).isEqualTo(sketch.count());
        for (double q : QUANTILES) {
            assertThat(restored.quantile(q)).isEqualTo(sketch.quantile(q));
        }
    }

    @Test
    void emptySketchHasNoQuantiles() {
        assertThat(new QuantileSketch().quantile(0.5)).isNull();
        assertThat(QuantileSketch.fromBytes(new QuantileSketch().toBytes()).isEmpty()).isTrue();
    }

    private static double gaussian(SplittableRandom random) {
        // Box-Muller: SplittableRandom has no nextGaussian on Java 17.
        return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
    }
}
