package io.graylight.rollout;

import io.graylight.contracts.json.Json;
import io.graylight.rollout.plan.RolloutPlan;
import io.graylight.stats.GuardComparison;
import io.graylight.stats.GuardJudge;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Keyed state of one {@link Rollout}: the plan as JSON, the stage's position, and each guard's
 * confidence sequences in their own compact encoding. Versioned by {@link Snapshot}.
 */
public final class RolloutSerializer extends TypeSerializerSingleton<Rollout> {

    public static final RolloutSerializer INSTANCE = new RolloutSerializer();

    @Override public boolean isImmutableType() { return false; }
    @Override public Rollout createInstance() { return null; }
    @Override public int getLength() { return -1; }

    @Override
    public Rollout copy(Rollout from) {
        try {
            org.apache.flink.core.memory.DataOutputSerializer out = new org.apache.flink.core.memory.DataOutputSerializer(4096);
            serialize(from, out);
            return deserialize(new org.apache.flink.core.memory.DataInputDeserializer(out.getSharedBuffer(), 0, out.length()));
        } catch (IOException e) {
            throw new IllegalStateException("cannot copy rollout state", e);
        }
    }

    @Override
    public Rollout copy(Rollout from, Rollout reuse) {
        return copy(from);
    }

    @Override
    public void serialize(Rollout rollout, DataOutputView out) throws IOException {
        byte[] plan = Json.toBytes(rollout.plan());
        out.writeInt(plan.length);
        out.write(plan);
        out.writeInt(rollout.stage());
        out.writeBoolean(rollout.paused());
        out.writeBoolean(rollout.heldFor() != null);
        if (rollout.heldFor() != null) {
            out.writeUTF(rollout.heldFor());
        }
        out.writeLong(rollout.lastEventMillis());
        rollout.traffic().writeTo(out);
        out.writeInt(rollout.guards().size());
        for (GuardJudge guard : rollout.guards()) {
            byte[] bytes = ((GuardComparison) guard).toBytes();
            out.writeInt(bytes.length);
            out.write(bytes);
        }
        out.writeLong(rollout.alertHoldUntil());
        out.writeBoolean(rollout.alertHoldReason() != null);
        if (rollout.alertHoldReason() != null) {
            out.writeUTF(rollout.alertHoldReason());
        }
    }

    @Override
    public Rollout deserialize(DataInputView in) throws IOException {
        byte[] planJson = new byte[in.readInt()];
        in.readFully(planJson);
        RolloutPlan plan = Json.fromBytes(planJson, RolloutPlan.class);
        int stage = in.readInt();
        boolean paused = in.readBoolean();
        String heldFor = in.readBoolean() ? in.readUTF() : null;
        long lastEventMillis = in.readLong();
        CohortTraffic traffic = CohortTraffic.readFrom(in);
        int count = in.readInt();
        List<GuardJudge> guards = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            byte[] bytes = new byte[in.readInt()];
            in.readFully(bytes);
            guards.add(GuardComparison.fromBytes(bytes));
        }
        long alertHoldUntil = in.readLong();
        String alertHoldReason = in.readBoolean() ? in.readUTF() : null;
        return new Rollout(plan, guards, stage, paused, heldFor, lastEventMillis, traffic, alertHoldUntil, alertHoldReason);
    }

    @Override
    public Rollout deserialize(Rollout reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    @Override
    public TypeSerializerSnapshot<Rollout> snapshotConfiguration() {
        return new Snapshot();
    }

    public static final class Snapshot extends SimpleTypeSerializerSnapshot<Rollout> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
