package io.graylight.ml.store;

import java.io.ObjectInputFilter;
import java.util.List;
import java.util.Set;

/**
 * The allow-list for reading model files with Java serialization: Smile's model classes, our own
 * model wrappers and the few JDK value and collection classes they hold. Anything else (gadget
 * classes such as proxies, commons-collections transformers, JDK internals) is rejected before it
 * is instantiated, and the graph is bounded so that a crafted file cannot exhaust memory.
 */
public final class ModelFilter implements ObjectInputFilter {

    static final long MAX_DEPTH = 200;
    static final long MAX_REFERENCES = 5_000_000;
    static final long MAX_ARRAY_LENGTH = 50_000_000;

    private static final List<String> ALLOWED_PACKAGES = List.of("smile.", "io.graylight.ml.");
    private static final Set<String> ALLOWED_JDK = Set.of(
            "java.lang.Number", "java.lang.Integer", "java.lang.Long", "java.lang.Double", "java.lang.Float",
            "java.lang.Short", "java.lang.Byte", "java.lang.Boolean", "java.lang.Character", "java.lang.String",
            "java.lang.Enum", "java.lang.Object", "java.util.Map$Entry",
            "java.util.ArrayList", "java.util.HashMap", "java.util.LinkedHashMap", "java.util.TreeMap",
            "java.util.HashSet", "java.util.BitSet", "java.util.Arrays$ArrayList",
            "java.util.Collections$UnmodifiableMap", "java.util.Collections$UnmodifiableList",
            "java.util.Collections$UnmodifiableRandomAccessList", "java.util.Collections$EmptyList",
            "java.util.Collections$EmptyMap", "java.util.ImmutableCollections$ListN",
            "java.util.ImmutableCollections$List12", "java.util.ImmutableCollections$MapN",
            "java.util.ImmutableCollections$Map1", "java.util.ImmutableCollections$SetN",
            "java.util.ImmutableCollections$Set12", "java.util.CollSer",
            "java.util.Optional", "java.util.OptionalInt", "java.util.OptionalDouble");

    /** The class name of the first rejected class, for the error message. */
    private volatile String rejected;

    @Override
    public Status checkInput(FilterInfo info) {
        if (info.depth() > MAX_DEPTH || info.references() > MAX_REFERENCES
                || (info.arrayLength() >= 0 && info.arrayLength() > MAX_ARRAY_LENGTH)) {
            rejected = "graph limits (depth " + info.depth() + ", references " + info.references()
                    + ", array length " + info.arrayLength() + ")";
            return Status.REJECTED;
        }
        Class<?> type = info.serialClass();
        if (type == null) {
            return Status.UNDECIDED;
        }
        while (type.isArray()) {
            type = type.getComponentType();
        }
        if (type.isPrimitive() || allowed(type.getName())) {
            return Status.ALLOWED;
        }
        rejected = type.getName();
        return Status.REJECTED;
    }

    static boolean allowed(String name) {
        if (ALLOWED_JDK.contains(name)) {
            return true;
        }
        for (String prefix : ALLOWED_PACKAGES) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    String rejected() {
        return rejected;
    }
}
