package io.graylight.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Everything that determines a simulation; equal configs give byte-identical output.
 * Build with {@link #builder()}; every setting has a default.
 *
 * <p>The run ends at {@code maxEvents} records or after {@code duration} of event time, whichever
 * comes first. The duration defaults to one hour; set it to null for a run bounded by
 * {@code maxEvents} only.
 */
public final class SimulationConfig {

    /** A fixed default start, so that a run without {@code --start} is reproducible. */
    public static final Instant DEFAULT_START = Instant.parse("2026-12-01T10:00:00Z");
    public static final Duration DEFAULT_DURATION = Duration.ofHours(1);

    private final long seed;
    private final List<String> releases;
    private final String baselineVersion;
    private final String canaryVersion;
    private final double canaryPercent;
    private final int users;
    private final Instant start;
    private final double rateFactor;
    private final Long maxEvents;
    private final Duration duration;
    private final double feedbackProbability;
    private final double duplicateRate;
    private final double malformedRate;
    private final List<Fault> faults;

    private SimulationConfig(Builder b) {
        seed = b.seed;
        releases = List.copyOf(new LinkedHashSet<>(b.releases));
        baselineVersion = b.baselineVersion;
        canaryVersion = b.canaryVersion;
        canaryPercent = b.canaryPercent;
        users = b.users;
        start = b.start;
        rateFactor = b.rateFactor;
        maxEvents = b.maxEvents;
        duration = b.duration;
        feedbackProbability = b.feedbackProbability;
        duplicateRate = b.duplicateRate;
        malformedRate = b.malformedRate;
        faults = List.copyOf(b.faults);
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.seed = seed;
        b.releases = new ArrayList<>(releases);
        b.baselineVersion = baselineVersion;
        b.canaryVersion = canaryVersion;
        b.canaryPercent = canaryPercent;
        b.users = users;
        b.start = start;
        b.rateFactor = rateFactor;
        b.maxEvents = maxEvents;
        b.duration = duration;
        b.feedbackProbability = feedbackProbability;
        b.duplicateRate = duplicateRate;
        b.malformedRate = malformedRate;
        b.faults = new ArrayList<>(faults);
        return b;
    }

    public long seed() {
        return seed;
    }

    public List<String> releases() {
        return releases;
    }

    public String baselineVersion() {
        return baselineVersion;
    }

    public String canaryVersion() {
        return canaryVersion;
    }

    public double canaryPercent() {
        return canaryPercent;
    }

    public int users() {
        return users;
    }

    public Instant start() {
        return start;
    }

    public double rateFactor() {
        return rateFactor;
    }

    /** The most records to emit (all kinds: valid, duplicate, malformed); empty for no limit. */
    public OptionalLong maxEvents() {
        return maxEvents == null ? OptionalLong.empty() : OptionalLong.of(maxEvents);
    }

    /** How much event time to simulate; empty for no limit (then {@link #maxEvents} is set). */
    public Optional<Duration> duration() {
        return Optional.ofNullable(duration);
    }

    public double feedbackProbability() {
        return feedbackProbability;
    }

    public double duplicateRate() {
        return duplicateRate;
    }

    public double malformedRate() {
        return malformedRate;
    }

    public List<Fault> faults() {
        return faults;
    }

    @Override
    public String toString() {
        return "SimulationConfig{seed=" + seed + ", releases=" + releases + ", versions=" + baselineVersion + "/" + canaryVersion
                + ", canaryPercent=" + canaryPercent + ", users=" + users + ", start=" + start + ", rateFactor=" + rateFactor
                + ", maxEvents=" + maxEvents + ", duration=" + duration + ", feedbackProbability=" + feedbackProbability
                + ", duplicateRate=" + duplicateRate + ", malformedRate=" + malformedRate + ", faults=" + faults + "}";
    }

    public static final class Builder {
        private long seed = 42;
        private List<String> releases = new ArrayList<>(List.of("chat"));
        private String baselineVersion = "v1";
        private String canaryVersion = "v2";
        private double canaryPercent = 10.0;
        private int users = 2000;
        private Instant start = DEFAULT_START;
        private double rateFactor = 1.0;
        private Long maxEvents;
        private Duration duration = DEFAULT_DURATION;
        private double feedbackProbability = 0.08;
        private double duplicateRate = 0.0;
        private double malformedRate = 0.0;
        private List<Fault> faults = new ArrayList<>();

        private Builder() {}

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder release(String release) {
            return releases(List.of(release));
        }

        /** Each release gets its own share of the traffic and its own independent canary split. */
        public Builder releases(List<String> releases) {
            if (releases == null || releases.isEmpty()) {
                throw new IllegalArgumentException("at least one release is needed");
            }
            for (String release : releases) {
                if (release == null || release.isBlank()) {
                    throw new IllegalArgumentException("a release name must not be empty");
                }
            }
            this.releases = new ArrayList<>(releases);
            return this;
        }

        public Builder baselineVersion(String version) {
            this.baselineVersion = requireText(version, "baseline version");
            return this;
        }

        public Builder canaryVersion(String version) {
            this.canaryVersion = requireText(version, "canary version");
            return this;
        }

        public Builder canaryPercent(double percent) {
            if (!(percent >= 0 && percent <= 100)) {
                throw new IllegalArgumentException("canary percent must be in [0, 100]: " + percent);
            }
            this.canaryPercent = percent;
            return this;
        }

        public Builder users(int users) {
            if (users < 1) {
                throw new IllegalArgumentException("need at least one user: " + users);
            }
            this.users = users;
            return this;
        }

        public Builder start(Instant start) {
            if (start == null) {
                throw new IllegalArgumentException("start must not be null");
            }
            this.start = start;
            return this;
        }

        /** Trace speed-up: event time = start + trace offset / rateFactor. */
        public Builder rateFactor(double rateFactor) {
            if (!(rateFactor > 0 && Double.isFinite(rateFactor))) {
                throw new IllegalArgumentException("rate factor must be a positive number: " + rateFactor);
            }
            this.rateFactor = rateFactor;
            return this;
        }

        /** Stops after this many records; null for no limit. */
        public Builder maxEvents(Long maxEvents) {
            if (maxEvents != null && maxEvents < 1) {
                throw new IllegalArgumentException("max events must be positive: " + maxEvents);
            }
            this.maxEvents = maxEvents;
            return this;
        }

        /** Stops after this much event time; null for no limit. */
        public Builder duration(Duration duration) {
            if (duration != null && (duration.isNegative() || duration.isZero())) {
                throw new IllegalArgumentException("duration must be positive: " + duration);
            }
            this.duration = duration;
            return this;
        }

        public Builder feedbackProbability(double probability) {
            this.feedbackProbability = probability(probability, "feedback probability");
            return this;
        }

        /** Fraction of valid records that are sent a second time with the same eventId. */
        public Builder duplicateRate(double rate) {
            this.duplicateRate = probability(rate, "duplicate rate");
            return this;
        }

        /** Extra malformed records, as a fraction of the valid records. */
        public Builder malformedRate(double rate) {
            this.malformedRate = probability(rate, "malformed rate");
            return this;
        }

        public Builder faults(List<Fault> faults) {
            this.faults = new ArrayList<>(faults);
            return this;
        }

        public Builder fault(Fault fault) {
            this.faults.add(fault);
            return this;
        }

        public SimulationConfig build() {
            if (maxEvents == null && duration == null) {
                throw new IllegalArgumentException("the simulation would never end: set max events or a duration");
            }
            return new SimulationConfig(this);
        }

        private static double probability(double value, String name) {
            if (!(value >= 0 && value <= 1)) {
                throw new IllegalArgumentException(name + " must be in [0, 1]: " + value);
            }
            return value;
        }

        private static String requireText(String value, String name) {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException(name + " must not be empty");
            }
            return value;
        }
    }
}
