package io.graylight.router.telemetry;

import io.graylight.contracts.telemetry.Cohort;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The last requests served (bounded, oldest forgotten first), so that {@code POST /v1/feedback}
 * can attribute a thumbs-up or -down to the release, cohort and user of the request it rates.
 */
public final class RecentRequests {

    public record Served(String release, Cohort cohort, String version, String userId, Map<String, String> segment) {}

    private final Map<String, Served> byId;

    public RecentRequests(int capacity) {
        this.byId = new LinkedHashMap<>(1024, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Served> eldest) {
                return size() > capacity;
            }
        };
    }

    public synchronized void put(String requestId, Served served) {
        byId.put(requestId, served);
    }

    public synchronized Served get(String requestId) {
        return byId.get(requestId);
    }
}
