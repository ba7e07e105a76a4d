package io.graylight.contracts.telemetry;

/** What {@link TelemetryCodec#decode} made of one record: exactly one of the two is non-null. */
public record Decoded(TelemetryEvent event, ValidationProblem problem) {

    public static Decoded valid(TelemetryEvent event) {
        return new Decoded(event, null);
    }

    public static Decoded invalid(ValidationProblem problem) {
        return new Decoded(null, problem);
    }

    public boolean isValid() {
        return event != null;
    }
}
