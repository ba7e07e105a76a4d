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

    @Test
    void segmentsOddCharactersAndOversizedEntriesComeBackAsStored() {
        RecentRequests recent = new RecentRequests(10);
        RecentRequests.Served small = new RecentRequests.Served("chat", Cohort.BASELINE, "v1", "ünïcødé-user",
                Map.of("region", "eu-west", "tier", "pro"));
        RecentRequests.Served noUser = new RecentRequests.Served("chat", Cohort.CANARY, null, null, null);
        String longUser = "u".repeat(3 * RecentRequests.SLOT_BYTES);
        RecentRequests.Served oversized = new RecentRequests.Served("chat", Cohort.CANARY, "v2", longUser,
                Map.of("note", "x".repeat(500)));
        recent.put("a", small);
        recent.put("b", noUser);
        recent.put("c", oversized);
        assertThat(recent.get("a")).isEqualTo(small);
        assertThat(recent.get("b")).isEqualTo(new RecentRequests.Served("chat", Cohort.CANARY, null, null, Map.of()));
        assertThat(recent.get("c")).isEqualTo(oversized);
        assertThat(recent.get("d")).isNull();
    }

    /**
     * Against a model (the last {@code capacity} puts, a later put of the same id replacing the
     * earlier): random ids drawn from a small pool, so ids repeat, and pairs of ids with equal
     * hash codes ("Aa" and "BB"), so probe runs form, collide and are shifted back on removal.
     */
    @Test
    void matchesTheLastPutsOverManyRandomOperations() {
        for (long seed = 1; seed <= 20; seed++) {
            java.util.Random random = new java.util.Random(seed);
            int capacity = 1 + random.nextInt(64);
            RecentRequests recent = new RecentRequests(capacity);
            java.util.ArrayDeque<String> order = new java.util.ArrayDeque<>(); // ids of the last `capacity` puts, oldest first
            Map<String, String> users = new java.util.HashMap<>();
            for (int op = 0; op < 5_000; op++) {
                String id = (random.nextBoolean() ? "Aa" : "BB") + random.nextInt(3 * capacity);
                String user = "u" + op;
                recent.put(id, served(user));
                order.addLast(id);
                users.put(id, user);
                if (order.size() > capacity) {
                    String evicted = order.removeFirst();
                    if (!order.contains(evicted)) {
                        users.remove(evicted);
                    }
                }
                String probe = (random.nextBoolean() ? "Aa" : "BB") + random.nextInt(3 * capacity);
                RecentRequests.Served got = recent.get(probe);
                assertThat(got == null ? null : got.userId()).as("seed %d, op %d, id %s", seed, op, probe).isEqualTo(users.get(probe));
            }
            assertThat(recent.size()).isEqualTo(users.size());
        }
    }
}
