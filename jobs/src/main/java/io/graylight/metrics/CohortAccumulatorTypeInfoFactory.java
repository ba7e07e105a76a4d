package io.graylight.metrics;

import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/** Gives {@link CohortAccumulator} its own compact serializer instead of Kryo. */
public final class CohortAccumulatorTypeInfoFactory extends TypeInfoFactory<CohortAccumulator> {

    @Override
    public TypeInformation<CohortAccumulator> createTypeInfo(Type t, Map<String, TypeInformation<?>> genericParameters) {
        return new Info();
    }

    static final class Info extends TypeInformation<CohortAccumulator> {
        @Override public boolean isBasicType() { return false; }
        @Override public boolean isTupleType() { return false; }
        @Override public int getArity() { return 1; }
        @Override public int getTotalFields() { return 1; }
        @Override public Class<CohortAccumulator> getTypeClass() { return CohortAccumulator.class; }
        @Override public boolean isKeyType() { return false; }

        @Override
        public TypeSerializer<CohortAccumulator> createSerializer(SerializerConfig config) {
            return CohortAccumulatorSerializer.INSTANCE;
        }

        @Override
        @SuppressWarnings("deprecation")
        public TypeSerializer<CohortAccumulator> createSerializer(ExecutionConfig config) {
            return CohortAccumulatorSerializer.INSTANCE;
        }

        @Override public String toString() { return "CohortAccumulator"; }
        @Override public boolean equals(Object obj) { return obj instanceof Info; }
        @Override public int hashCode() { return Info.class.hashCode(); }
        @Override public boolean canEqual(Object obj) { return obj instanceof Info; }
    }
}
