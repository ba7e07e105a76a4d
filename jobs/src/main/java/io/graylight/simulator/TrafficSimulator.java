package io.graylight.simulator;

import io.graylight.contracts.routing.CohortAssignment;
import io.graylight.contracts.telemetry.Cohort;
import io.graylight.contracts.telemetry.TelemetryCodec;
import io.graylight.contracts.telemetry.TelemetryEvent;
import java.time.Instant;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Cohort-tagged LLM telemetry as the router of a gray release would emit it, driven by the real
 * arrival times and token counts of {@link AzureTrace}.
 *
 * <p>Each trace arrival is one request of one release (chosen at random when several are
 * simulated, so the trace stays the application's total load), sent by a user drawn by activity,
 * served by the user's sticky cohort ({@link CohortAssignment}, salted with the release name).
 * Users sometimes rate a request a few seconds later. On top come the configured faults,
 * duplicates (a producer retry: same bytes, sent a little later, so out of event-time order) and
 * malformed records.
 *
 * <p>Records come out in the order a producer would send them: by send time, which is the event
 * time except for duplicates. Every iterator replays the same records: each arrival has its own
 * random stream derived from the seed, so output is byte-identical for equal configs, and a
 * canary fault leaves the baseline's events exactly as they were without it.
 */
public final class TrafficSimulator implements Iterable<SimulatedRecord> {

    private static final long ARRIVAL_STREAM = 1;
    private static final long NOISE_STREAM = 2;
    /** Producer retries resend after a short timeout: median 1 s. */
    private static final double RETRY_MEDIAN_MS = 1_000;

    private final SimulationConfig config;
    private final AzureTrace trace;
    private final UserPopulation users;
    private final boolean[][] canaryByReleaseAndUser;
    private final long startMillis;
    private final long endMillis;
    /** When set, the canary share per release at send time, like a router following decisions. */
    private ToDoubleFunction<String> liveCanaryPercent;
    /** When set, valid records carry their event only, not its JSON: see {@link #eventsOnly()}. */
    private boolean eventsOnly;
    private final TelemetryCodec codec = new TelemetryCodec();

    public TrafficSimulator(SimulationConfig config) {
        this(config, AzureTrace.load());
    }

    public TrafficSimulator(SimulationConfig config, AzureTrace trace) {
        this.config = config;
        this.trace = trace;
        this.users = new UserPopulation(config.seed(), config.users());
        List<String> releases = config.releases();
        this.canaryByReleaseAndUser = new boolean[releases.size()][users.size()];
        boolean anyBaseline = false;
        for (int r = 0; r < releases.size(); r++) {
            for (int u = 0; u < users.size(); u++) {
                boolean canary = CohortAssignment.isCanary(releases.get(r), users.get(u).id(), config.canaryPercent());
                canaryByReleaseAndUser[r][u] = canary;
                anyBaseline |= !canary;
            }
        }
        this.startMillis = config.start().toEpochMilli();
        long end = config.duration().map(d -> startMillis + d.toMillis()).orElse(Long.MAX_VALUE);
        this.endMillis = Math.min(end, silentEverywhereFrom(config.faults(), anyBaseline));
    }

    /**
     * Makes cohorts follow a changing canary share, e.g. the latest decision of each release, as
     * a router would; users stay sticky (raising the share only adds users to the canary).
     */
    public TrafficSimulator followingCanaryPercent(ToDoubleFunction<String> percentOfRelease) {
        this.liveCanaryPercent = percentOfRelease;
        return this;
    }

    /**
     * Leaves the JSON out of valid records ({@link SimulatedRecord#bytes()} is null; malformed
     * records keep theirs), for in-process consumers that read {@link SimulatedRecord#event()} only,
     * such as {@code RolloutSimulation}: encoding is most of the cost of a record. The events, and
     * so the random streams, are the same as with the JSON.
     */
    public TrafficSimulator eventsOnly() {
        this.eventsOnly = true;
        return this;
    }

    public SimulationConfig config() {
        return config;
    }

    public UserPopulation users() {
        return users;
    }

    public AzureTrace trace() {
        return trace;
    }

    /** The cohort that serves {@code userId} in {@code release}, as the router would decide it. */
    public Cohort cohortOf(String release, String userId) {
        return CohortAssignment.cohort(release, userId, config.canaryPercent());
    }

    /** Event time of trace arrival {@code n}: start + looped trace offset / rate factor. */
    public long arrivalMillis(long n) {
        return startMillis + (long) Math.floor(trace.loopedOffsetNanos(n) / config.rateFactor() / 1e6);
    }

    /** Roughly how many records a run emits, for progress display. */
    public long estimatedRecords() {
        long bound = config.maxEvents().orElse(Long.MAX_VALUE);
        if (endMillis == Long.MAX_VALUE) {
            return bound;
        }
        double loops = (endMillis - startMillis) * config.rateFactor() / AzureTrace.LOOP_PERIOD.toMillis();
        double requests = loops * trace.size();
        double records = requests * (1 + config.feedbackProbability()) * (1 + config.duplicateRate() + config.malformedRate());
        return Math.min(bound, Math.max(1, Math.round(records)));
    }

    @Override
    public Iterator<SimulatedRecord> iterator() {
        return new Run();
    }

    public Stream<SimulatedRecord> stream() {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(iterator(), Spliterator.ORDERED | Spliterator.NONNULL), false);
    }

    /**
     * When the faults leave no cohort that still sends telemetry, the run ends there instead of
     * replaying the trace forever in silence.
     */
    private long silentEverywhereFrom(List<Fault> faults, boolean anyBaseline) {
        long from = Long.MAX_VALUE;
        for (Fault fault : faults) {
            if (fault.kind() == Fault.Kind.SILENCE && (fault.target() == Fault.Target.BOTH || !anyBaseline)) {
                from = Math.min(from, startMillis + fault.start().toMillis());
            }
        }
        return from;
    }

    /** A record waiting for its send time; {@code original} ones may be followed by noise. */
    private record Pending(long sendMillis, long sequence, SimulatedRecord record, boolean original) {}

    private final class Run implements Iterator<SimulatedRecord> {

        private final PriorityQueue<Pending> queue = new PriorityQueue<>(
                Comparator.comparingLong(Pending::sendMillis).thenComparingLong(Pending::sequence));
        private final SimRandom noise = SimRandom.of(config.seed(), NOISE_STREAM, 0);
        private final long maxRecords = config.maxEvents().orElse(Long.MAX_VALUE);
        private long nextArrival;
        private long sequence;
        private long emitted;

        @Override
        public boolean hasNext() {
            if (emitted >= maxRecords) {
                return false;
            }
            // Every record of an arrival is sent at or after it, so arrivals up to the head's
            // send time must be generated before the head can safely go out.
            while (queue.isEmpty() || arrivalMillis(nextArrival) <= queue.peek().sendMillis()) {
                if (arrivalMillis(nextArrival) >= endMillis) {
                    break;
                }
                generate(nextArrival++);
            }
            return !queue.isEmpty() && queue.peek().sendMillis() < endMillis;
        }

        @Override
        public SimulatedRecord next() {
            if (!hasNext()) {
                throw new NoSuchElementException("the simulation has ended");
            }
            Pending head = queue.poll();
            emitted++;
            if (head.original()) {
                addNoise(head);
            }
            return head.record();
        }

        private void generate(long n) {
            SimRandom random = SimRandom.of(config.seed(), ARRIVAL_STREAM, n);
            int row = trace.row(n);
            int releaseIndex = random.nextInt(config.releases().size());
            int userIndex = users.pickIndex(random.nextDouble());
            String release = config.releases().get(releaseIndex);
            SimulatedUser user = users.get(userIndex);
            boolean canary = liveCanaryPercent == null
                    ? canaryByReleaseAndUser[releaseIndex][userIndex]
                    : CohortAssignment.isCanary(release, user.id(), liveCanaryPercent.applyAsDouble(release));
            Cohort cohort = canary ? Cohort.CANARY : Cohort.BASELINE;
            String version = cohort == Cohort.CANARY ? config.canaryVersion() : config.baselineVersion();
            long time = arrivalMillis(n);
            FaultEffects faults = FaultEffects.at(config.faults(), cohort, time - startMillis);

            String requestId = random.nextUuid();
            RequestModel.Outcome outcome = RequestModel.outcome(random, trace.contextTokens(row), trace.generatedTokens(row), faults);
            FeedbackModel.Rating rating = FeedbackModel.rate(random, outcome, faults, config.feedbackProbability());
            String feedbackId = random.nextUuid();
            if (faults.silent()) {
                return;
            }
            TelemetryEvent request = TelemetryEvent.request(requestId, Instant.ofEpochMilli(time), release, cohort, version,
                    user.id(), user.segment(), outcome.status(), outcome.latencyMs(), outcome.ttftMs(),
                    outcome.inputTokens(), outcome.outputTokens(), outcome.costUsd(), outcome.qualityScore());
            enqueue(time, valid(request), true);
            if (rating == null) {
                return;
            }
            long feedbackTime = time + rating.delayMs();
            if (FaultEffects.at(config.faults(), cohort, feedbackTime - startMillis).silent()) {
                return;
            }
            TelemetryEvent feedback = TelemetryEvent.feedback(feedbackId, Instant.ofEpochMilli(feedbackTime), release, cohort,
                    version, user.id(), user.segment(), requestId, rating.score());
            enqueue(feedbackTime, valid(feedback), true);
        }

        /** Duplicates and malformed records ride on the valid records as they go out. */
        private void addNoise(Pending original) {
            boolean duplicate = noise.nextDouble() < config.duplicateRate();
            boolean malformed = noise.nextDouble() < config.malformedRate();
            SimulatedRecord record = original.record();
            byte[] bytes = record.bytes() != null || !malformed ? record.bytes() : codec.encode(record.event());
            if (malformed) {
                byte[] broken = MalformedRecords.make(noise, record.event(), bytes);
                enqueue(original.sendMillis(), new SimulatedRecord(broken, null, record.eventTimeMillis(), false, true), false);
            }
            if (duplicate) {
                long retryMillis = 1 + Math.round(RETRY_MEDIAN_MS * SimRandom.logNormal(noise.nextGaussian(), 0.7));
                enqueue(original.sendMillis() + retryMillis,
                        new SimulatedRecord(record.bytes(), record.event(), record.eventTimeMillis(), true, false), false);
            }
        }

        private SimulatedRecord valid(TelemetryEvent event) {
            return new SimulatedRecord(eventsOnly ? null : codec.encode(event), event, event.timestampMillis(), false, false);
        }

        private void enqueue(long sendMillis, SimulatedRecord record, boolean original) {
            queue.add(new Pending(sendMillis, sequence++, record, original));
        }
    }
}
