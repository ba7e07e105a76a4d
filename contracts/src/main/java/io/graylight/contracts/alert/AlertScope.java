package io.graylight.contracts.alert;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Which cohort an alert is about. {@code both} marks an incident that hits baseline and canary
 * alike: the decision job holds on it and never rolls the canary back for it.
 */
public enum AlertScope {
    @JsonProperty("baseline") BASELINE,
    @JsonProperty("canary") CANARY,
    @JsonProperty("both") BOTH
}
