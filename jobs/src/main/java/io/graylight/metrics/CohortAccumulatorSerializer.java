package io.graylight.metrics;

import io.graylight.stats.QuantileSketch;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Writes a {@link CohortAccumulator} field by field, sketches in DDSketch's own encoding.
 * The layout is versioned by the snapshot: change it only with a new snapshot version.
 */
public final class CohortAccumulatorSerializer extends TypeSerializerSingleton<CohortAccumulator> {

    public static final CohortAccumulatorSerializer INSTANCE = new CohortAccumulatorSerializer();

    @Override public boolean isImmutableType() { return false; }
    @Override public CohortAccumulator createInstance() { return new CohortAccumulator(); }
    @Override public int getLength() { return -1; }

    @Override
    public CohortAccumulator copy(CohortAccumulator from) {
        CohortAccumulator to = new CohortAccumulator();
        to.release = from.release;
        to.cohort = from.cohort;
        System.arraycopy(from.statusCounts, 0, to.statusCounts, 0, from.statusCounts.length);
        to.latency = from.latency.copy();
        to.ttft = from.ttft.copy();
        to.inputTokens = from.inputTokens;
        to.outputTokens = from.outputTokens;
        to.costUsd = from.costUsd;
        to.costSamples = from.costSamples;
        to.qualitySum = from.qualitySum;
        to.qualitySamples = from.qualitySamples;
        to.feedbackUp = from.feedbackUp;
        to.feedbackDown = from.feedbackDown;
        return to;
    }

    @Override
    public CohortAccumulator copy(CohortAccumulator from, CohortAccumulator reuse) {
        return copy(from);
    }

    @Override
    public void serialize(CohortAccumulator acc, DataOutputView out) throws IOException {
        writeNullableString(out, acc.release);
        writeNullableString(out, acc.cohort);
        out.writeInt(acc.statusCounts.length);
        for (long count : acc.statusCounts) {
            out.writeLong(count);
        }
        writeSketch(out, acc.latency);
        writeSketch(out, acc.ttft);
        out.writeLong(acc.inputTokens);
        out.writeLong(acc.outputTokens);
        out.writeDouble(acc.costUsd);
        out.writeLong(acc.costSamples);
        out.writeDouble(acc.qualitySum);
        out.writeLong(acc.qualitySamples);
        out.writeLong(acc.feedbackUp);
        out.writeLong(acc.feedbackDown);
    }

    @Override
    public CohortAccumulator deserialize(DataInputView in) throws IOException {
        CohortAccumulator acc = new CohortAccumulator();
        acc.release = readNullableString(in);
        acc.cohort = readNullableString(in);
        int statuses = in.readInt();
        for (int i = 0; i < statuses; i++) {
            acc.statusCounts[i] = in.readLong();
        }
        acc.latency = readSketch(in);
        acc.ttft = readSketch(in);
        acc.inputTokens = in.readLong();
        acc.outputTokens = in.readLong();
        acc.costUsd = in.readDouble();
        acc.costSamples = in.readLong();
        acc.qualitySum = in.readDouble();
        acc.qualitySamples = in.readLong();
        acc.feedbackUp = in.readLong();
        acc.feedbackDown = in.readLong();
        return acc;
    }

    @Override
    public CohortAccumulator deserialize(CohortAccumulator reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    @Override
    public TypeSerializerSnapshot<CohortAccumulator> snapshotConfiguration() {
        return new Snapshot();
    }

    private static void writeSketch(DataOutputView out, QuantileSketch sketch) throws IOException {
        byte[] bytes = sketch.toBytes();
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static QuantileSketch readSketch(DataInputView in) throws IOException {
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        return bytes.length == 0 ? new QuantileSketch() : QuantileSketch.fromBytes(bytes);
    }

    private static void writeNullableString(DataOutputView out, String value) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            out.writeUTF(value);
        }
    }

    private static String readNullableString(DataInputView in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }

    /** Restores the serializer from checkpoints; version 1 is the layout above. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<CohortAccumulator> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
