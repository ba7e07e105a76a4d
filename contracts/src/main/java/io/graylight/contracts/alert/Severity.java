package io.graylight.contracts.alert;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How urgent an alert is; written in lower case, as in the rule files. */
public enum Severity {
    @JsonProperty("info") INFO,
    @JsonProperty("warning") WARNING,
    @JsonProperty("critical") CRITICAL
}
