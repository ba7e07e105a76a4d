package io.graylight.contracts.telemetry;

/** How an LLM request ended, as the router or the application saw it. */
public enum RequestStatus {
    OK("ok"),
    ERROR("error"),
    TIMEOUT("timeout"),
    RATE_LIMITED("rate_limited"),
    /** Refused by a content filter or the model itself. */
    FILTERED("filtered");

    private final String wireName;

    RequestStatus(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** The status with this wire name, or null. */
    public static RequestStatus fromWire(String name) {
        for (RequestStatus status : values()) {
            if (status.wireName.equals(name)) {
                return status;
            }
        }
        return null;
    }
}
