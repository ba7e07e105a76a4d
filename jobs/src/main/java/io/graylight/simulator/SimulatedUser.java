package io.graylight.simulator;

import java.util.Map;

/**
 * One simulated end user: an id and the segment attributes a targeting strategy may select on.
 *
 * @param id the userId of the telemetry events
 * @param segment {@code region}, {@code tier} and {@code platform}
 * @param activityWeight relative request rate; a few users send most of the traffic
 */
public record SimulatedUser(String id, Map<String, String> segment, double activityWeight) {

    public SimulatedUser {
        segment = Map.copyOf(segment);
    }

    public String region() {
        return segment.get("region");
    }

    public String tier() {
        return segment.get("tier");
    }

    public String platform() {
        return segment.get("platform");
    }
}
