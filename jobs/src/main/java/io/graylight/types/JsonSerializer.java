package io.graylight.types;

import io.graylight.contracts.json.Json;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.util.InstantiationUtil;

/** Length-prefixed JSON of an immutable record; see {@link JsonTypeInfo}. */
public final class JsonSerializer<T> extends TypeSerializer<T> {

    private final Class<T> type;

    public JsonSerializer(Class<T> type) {
        this.type = type;
    }

    @Override public boolean isImmutableType() { return true; }
    @Override public TypeSerializer<T> duplicate() { return this; }
    @Override public T createInstance() { return null; }
    @Override public T copy(T from) { return from; }
    @Override public T copy(T from, T reuse) { return from; }
    @Override public int getLength() { return -1; }

    @Override
    public void serialize(T record, DataOutputView out) throws IOException {
        byte[] json = Json.toBytes(record);
        out.writeInt(json.length);
        out.write(json);
    }

    @Override
    public T deserialize(DataInputView in) throws IOException {
        byte[] json = new byte[in.readInt()];
        in.readFully(json);
        return Json.fromBytes(json, type);
    }

    @Override
    public T deserialize(T reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        int length = in.readInt();
        out.writeInt(length);
        out.write(in, length);
    }

    @Override public boolean equals(Object obj) { return obj instanceof JsonSerializer<?> other && other.type == type; }
    @Override public int hashCode() { return type.hashCode(); }

    @Override
    public TypeSerializerSnapshot<T> snapshotConfiguration() {
        return new Snapshot<>(type);
    }

    /** Remembers the record class; JSON ignores unknown fields, so added fields stay compatible. */
    public static final class Snapshot<T> implements TypeSerializerSnapshot<T> {
        private Class<T> type;

        public Snapshot() {}

        Snapshot(Class<T> type) {
            this.type = type;
        }

        @Override public int getCurrentVersion() { return 1; }

        @Override
        public void writeSnapshot(DataOutputView out) throws IOException {
            out.writeUTF(type.getName());
        }

        @Override
        public void readSnapshot(int readVersion, DataInputView in, ClassLoader classLoader) throws IOException {
            type = InstantiationUtil.resolveClassByName(in, classLoader);
        }

        @Override
        public TypeSerializer<T> restoreSerializer() {
            return new JsonSerializer<>(type);
        }

        @Override
        public TypeSerializerSchemaCompatibility<T> resolveSchemaCompatibility(TypeSerializerSnapshot<T> oldSnapshot) {
            return oldSnapshot instanceof Snapshot<T> old && old.type == type
                    ? TypeSerializerSchemaCompatibility.compatibleAsIs()
                    : TypeSerializerSchemaCompatibility.incompatible();
        }
    }
}
