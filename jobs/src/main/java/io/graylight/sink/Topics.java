package io.graylight.sink;

import java.io.Serializable;

/** Kafka topic names of DESIGN.md under a configurable prefix (default {@code graylight.}). */
public record Topics(String prefix) implements Serializable {

    public static final String DEFAULT_PREFIX = "graylight.";

    public static Topics defaults() {
        return new Topics(DEFAULT_PREFIX);
    }

    public String telemetry() { return prefix + "telemetry"; }
    public String deadLetters() { return prefix + "telemetry.dlq"; }
    public String metrics() { return prefix + "metrics"; }
    public String alerts() { return prefix + "alerts"; }
    public String decisions() { return prefix + "decisions"; }
    public String commands() { return prefix + "commands"; }
    public String targeting() { return prefix + "targeting"; }
}
