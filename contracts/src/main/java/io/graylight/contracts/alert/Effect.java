package io.graylight.contracts.alert;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What an alert asks of the decision job: {@code notify} is recorded only, {@code hold} blocks
 * promotions until {@link Alert#holdUntil()}, {@code rollback} (with severity critical) rolls the
 * canary back at once. Dry-run alerts never affect decisions.
 */
public enum Effect {
    @JsonProperty("notify") NOTIFY,
    @JsonProperty("hold") HOLD,
    @JsonProperty("rollback") ROLLBACK
}
