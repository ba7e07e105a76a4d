package io.graylight.contracts.telemetry;

/** Which version served a request: the current one, or the one being released. */
public enum Cohort {
    BASELINE("baseline"),
    CANARY("canary");

    private final String wireName;

    Cohort(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** The cohort with this wire name, or null. */
    public static Cohort fromWire(String name) {
        for (Cohort cohort : values()) {
            if (cohort.wireName.equals(name)) {
                return cohort;
            }
        }
        return null;
    }
}
