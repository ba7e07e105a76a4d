package io.graylight.router.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.graylight.contracts.telemetry.Cohort;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class RecentRequestsTest {

    private static RecentRequests.Served served(String user) {
        return new RecentRequests.Served("chat", Cohort.CANARY, "v2", user, Map.of());
    }

    @Test
    void keepsTheLastCapacityRequestsAndForgetsTheOldest() {
        RecentRequests recent = new RecentRequests(100);
        for (int i = 0; i < 250; i++) {
            recent.put("id-" + i, served("u" + i));
        }
        assertThat(recent.size()).isEqualTo(100);
        assertThat(recent.get("id-149")).isNull();
        assertThat(recent.get("id-150")).isEqualTo(served("u150"));
        assertThat(recent.get("id-249").userId()).isEqualTo("u249");
    }

    @Test
    void writersOnSeveralThreadsKeepTheBound() throws Exception {
        int capacity = 1_000;
        RecentRequests recent = new RecentRequests(capacity);
        int threads = 4;
        int perThread = 20_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        recent.put(thread + "-" + i, served("u" + thread));
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        // each id is evicted at most once and only after it was stored: exactly `capacity` remain
        assertThat(recent.size()).isEqualTo(capacity);
        recent.put("after", served("late"));
        assertThat(recent.get("after").userId()).isEqualTo("late");
        assertThat(recent.size()).isEqualTo(capacity);
    }
}
