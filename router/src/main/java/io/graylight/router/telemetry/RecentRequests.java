package io.graylight.router.telemetry;

import io.graylight.contracts.telemetry.Cohort;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The last requests served (bounded, oldest forgotten first), so that {@code POST /v1/feedback}
 * can attribute a thumbs-up or -down to the release, cohort and user of the request it rates.
 *
 * <p>Every event loop records here on every call, so there is no lock: a ring of the last
 * {@code capacity} ids says which entry a new one evicts, and the entries live in a concurrent
 * map. Under concurrent writers the bound holds to within the number of writers in flight.
 */
public final class RecentRequests {

    public record Served(String release, Cohort cohort, String version, String userId, Map<String, String> segment) {}

    private final int capacity;
    private final Map<String, Served> byId;
    private final AtomicReferenceArray<String> ring;
    private final AtomicLong next = new AtomicLong();

    public RecentRequests(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
        }
        this.capacity = capacity;
        this.byId = new ConcurrentHashMap<>(Math.min(capacity, 1 << 16));
        this.ring = new AtomicReferenceArray<>(capacity);
    }

    public void put(String requestId, Served served) {
        byId.put(requestId, served);
        int slot = (int) (next.getAndIncrement() % capacity);
        String evicted = ring.getAndSet(slot, requestId);
        if (evicted != null && !evicted.equals(requestId)) {
            byId.remove(evicted);
        }
    }

    public Served get(String requestId) {
        return byId.get(requestId);
    }

    /** How many requests are remembered now. */
    public int size() {
        return byId.size();
    }
}
