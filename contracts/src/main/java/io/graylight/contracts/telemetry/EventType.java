package io.graylight.contracts.telemetry;

/** The two kinds of telemetry event: one per LLM request, and user feedback on a request. */
public enum EventType {
    REQUEST("request"),
    FEEDBACK("feedback");

    private final String wireName;

    EventType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** The type with this wire name, or null. */
    public static EventType fromWire(String name) {
        for (EventType type : values()) {
            if (type.wireName.equals(name)) {
                return type;
            }
        }
        return null;
    }
}
