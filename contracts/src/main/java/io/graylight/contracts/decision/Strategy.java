package io.graylight.contracts.decision;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Who is eligible for the canary: {@code type} (percentage, segment, schedule, priority, smart)
 * and its parameters, kept as they appear in the plan so the router can follow them.
 */
public final class Strategy {

    private final String type;
    private final Map<String, Object> parameters = new LinkedHashMap<>();

    public Strategy(@JsonProperty("type") String type) {
        this.type = Objects.requireNonNull(type, "type");
    }

    public static Strategy percentage() {
        return new Strategy("percentage");
    }

    @JsonProperty("type")
    public String type() {
        return type;
    }

    @JsonAnyGetter
    public Map<String, Object> parameters() {
        return parameters;
    }

    @JsonAnySetter
    public Strategy with(String name, Object value) {
        parameters.put(name, value);
        return this;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Strategy other && type.equals(other.type) && parameters.equals(other.parameters);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, parameters);
    }

    @Override
    public String toString() {
        return "Strategy" + parameters + "{type=" + type + "}";
    }
}
