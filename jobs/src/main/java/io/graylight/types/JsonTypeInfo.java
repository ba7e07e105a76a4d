package io.graylight.types;

import java.util.Objects;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/**
 * Flink type information for an immutable contract record that travels through Flink as its own
 * JSON. Kryo cannot build Java records, and these records nest lists of records (a decision and
 * its evidence); JSON is their wire format anyway, and they are few (decisions, alerts).
 */
public final class JsonTypeInfo<T> extends TypeInformation<T> {

    private final Class<T> type;

    private JsonTypeInfo(Class<T> type) {
        this.type = type;
    }

    public static <T> JsonTypeInfo<T> of(Class<T> type) {
        return new JsonTypeInfo<>(type);
    }

    @Override public boolean isBasicType() { return false; }
    @Override public boolean isTupleType() { return false; }
    @Override public int getArity() { return 1; }
    @Override public int getTotalFields() { return 1; }
    @Override public Class<T> getTypeClass() { return type; }
    @Override public boolean isKeyType() { return false; }

    @Override
    public TypeSerializer<T> createSerializer(SerializerConfig config) {
        return new JsonSerializer<>(type);
    }

    @Override
    @SuppressWarnings("deprecation")
    public TypeSerializer<T> createSerializer(ExecutionConfig config) {
        return new JsonSerializer<>(type);
    }

    @Override public String toString() { return "Json<" + type.getSimpleName() + ">"; }
    @Override public boolean equals(Object obj) { return obj instanceof JsonTypeInfo<?> other && other.type == type; }
    @Override public int hashCode() { return Objects.hash(JsonTypeInfo.class, type); }
    @Override public boolean canEqual(Object obj) { return obj instanceof JsonTypeInfo; }
}
