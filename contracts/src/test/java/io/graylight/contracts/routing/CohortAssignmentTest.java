package io.graylight.contracts.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.graylight.contracts.telemetry.Cohort;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CohortAssignmentTest {

    @Test
    void murmurHashMatchesPublishedTestVectors() {
        assertThat(murmur("", 0)).isEqualTo(0);
        assertThat(murmur("", 1)).isEqualTo(0x514E28B7);
        assertThat(murmur("", 0xffffffff)).isEqualTo(0x81F16F39);
        assertThat(murmur("\0\0\0\0", 0)).isEqualTo(0x2362F9DE);
        assertThat(murmur("a", 0x9747b28c)).isEqualTo(0x7FA09EA6);
        assertThat(murmur("aaaa", 0x9747b28c)).isEqualTo(0x5A97808A);
        assertThat(murmur("abc", 0)).isEqualTo(0xB3DD93FA);
        assertThat(murmur("Hello, world!", 0x9747b28c)).isEqualTo(0x24884CBA);
        assertThat(murmur("The quick brown fox jumps over the lazy dog", 0x9747b28c)).isEqualTo(0x2FA826CD);
    }

    /** Pinned values: if these change, the router and recorded telemetry disagree about who is canary. */
    @Test
    void bucketsAreStableAcrossVersions() {
        assertThat(CohortAssignment.bucket("chat", "user-0000")).isEqualTo(PINNED_CHAT_USER_0000);
        assertThat(CohortAssignment.bucket("chat", "user-1999")).isEqualTo(PINNED_CHAT_USER_1999);
        assertThat(CohortAssignment.bucket("search", "user-0000")).isEqualTo(PINNED_SEARCH_USER_0000);
        assertThat(CohortAssignment.bucket("chat", "ünïcödé")).isEqualTo(PINNED_CHAT_UNICODE);
    }

    @Test
    void aUserAlwaysGetsTheSameBucket() {
        for (int i = 0; i < 1000; i++) {
            String user = "user-" + i;
            assertThat(CohortAssignment.bucket("chat", user)).isEqualTo(CohortAssignment.bucket("chat", new String(user)));
        }
    }

    @Test
    void canaryShareOfUsersMatchesThePercent() {
        int users = 100_000;
        for (double percent : new double[] {1, 10, 50}) {
            int canary = 0;
            for (int i = 0; i < users; i++) {
                if (CohortAssignment.isCanary("chat", "u" + i, percent)) {
                    canary++;
                }
            }
            // 5 standard deviations of a binomial share at 100,000 users
            double tolerance = 5 * Math.sqrt(percent / 100 * (1 - percent / 100) / users);
            assertThat(canary / (double) users).as("share at %s %%", percent).isCloseTo(percent / 100, within(tolerance));
        }
    }

    @Test
    void raisingThePercentOnlyAddsUsersToTheCanary() {
        for (int i = 0; i < 20_000; i++) {
            String user = "u" + i;
            if (CohortAssignment.isCanary("chat", user, 5)) {
                assertThat(CohortAssignment.isCanary("chat", user, 25)).isTrue();
            }
        }
    }

    @Test
    void releasesSplitUsersIndependently() {
        int users = 100_000;
        int both = 0;
        for (int i = 0; i < users; i++) {
            String user = "u" + i;
            if (CohortAssignment.isCanary("chat", user, 10) && CohortAssignment.isCanary("search", user, 10)) {
                both++;
            }
        }
        assertThat(both / (double) users).isCloseTo(0.01, within(0.0015));
    }

    @Test
    void percentHasOneBucketGranularity() {
        assertThat(CohortAssignment.isCanary(6, 0.07)).isTrue();
        assertThat(CohortAssignment.isCanary(7, 0.07)).isFalse();
        assertThat(CohortAssignment.isCanary(0, 0.0)).isFalse();
        assertThat(CohortAssignment.isCanary(CohortAssignment.BUCKETS - 1, 100.0)).isTrue();
        assertThat(CohortAssignment.cohort("chat", "anyone", 100.0)).isEqualTo(Cohort.CANARY);
        assertThat(CohortAssignment.cohort("chat", "anyone", 0.0)).isEqualTo(Cohort.BASELINE);
        assertThatThrownBy(() -> CohortAssignment.isCanary(1, 100.5)).hasMessageContaining("[0, 100]");
        assertThatThrownBy(() -> CohortAssignment.isCanary(1, Double.NaN)).hasMessageContaining("[0, 100]");
    }

    // Computed once, and cross-checked with an independent MurmurHash3 implementation in Python.
    private static final int PINNED_CHAT_USER_0000 = 2525;
    private static final int PINNED_CHAT_USER_1999 = 7063;
    private static final int PINNED_SEARCH_USER_0000 = 9408;
    private static final int PINNED_CHAT_UNICODE = 3076;

    private static int murmur(String text, int seed) {
        return CohortAssignment.murmur3x86_32(text.getBytes(StandardCharsets.UTF_8), seed);
    }
}
