package io.graylight.contracts.alert;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What raised an alert: a CEP rule from {@code cep-rules/} or an anomaly model from {@code ml-models/}. */
public enum AlertSource {
    @JsonProperty("cep") CEP,
    @JsonProperty("anomaly") ANOMALY
}
