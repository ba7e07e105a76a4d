package io.graylight.stats;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.DDSketches;
import com.datadoghq.sketch.ddsketch.encoding.ByteArrayInput;
import com.datadoghq.sketch.ddsketch.encoding.GrowingByteArrayOutput;
import com.datadoghq.sketch.ddsketch.store.UnboundedSizeDenseStore;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A mergeable quantile sketch for latencies: a DDSketch whose estimate of any quantile is within
 * {@value #RELATIVE_ACCURACY} relative error of the exact value at the same rank, whatever the
 * distribution, in memory logarithmic in the value range rather than linear in the sample count.
 */
public final class QuantileSketch {

    /** Half of the 1 % the contract promises, so rank ties and merges keep us inside it. */
    public static final double RELATIVE_ACCURACY = 0.005;

    private final DDSketch sketch;

    public QuantileSketch() {
        this(DDSketches.unboundedDense(RELATIVE_ACCURACY));
    }

    private QuantileSketch(DDSketch sketch) {
        this.sketch = sketch;
    }

    public void add(double value) {
        sketch.accept(value);
    }

    public void merge(QuantileSketch other) {
        sketch.mergeWith(other.sketch);
    }

    public long count() {
        return Math.round(sketch.getCount());
    }

    public boolean isEmpty() {
        return sketch.isEmpty();
    }

    /** The estimated value at quantile {@code q} in [0, 1], or null when nothing was added. */
    public Double quantile(double q) {
        return sketch.isEmpty() ? null : sketch.getValueAtQuantile(q);
    }

    /** DDSketch's own compact encoding, index mapping included (not the protobuf one). */
    public byte[] toBytes() {
        GrowingByteArrayOutput out = GrowingByteArrayOutput.withInitialCapacity(256);
        try {
            sketch.encode(out, false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode quantile sketch", e);
        }
        return out.trimmedCopy();
    }

    public static QuantileSketch fromBytes(byte[] bytes) {
        try {
            return new QuantileSketch(DDSketch.decode(ByteArrayInput.wrap(bytes), UnboundedSizeDenseStore::new));
        } catch (IOException e) {
            throw new UncheckedIOException("corrupt quantile sketch (" + bytes.length + " bytes)", e);
        }
    }

    public QuantileSketch copy() {
        return new QuantileSketch(sketch.copy());
    }
}
