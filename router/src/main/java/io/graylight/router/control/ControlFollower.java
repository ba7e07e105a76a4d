package io.graylight.router.control;

import io.graylight.contracts.decision.DecisionRecord;
import io.graylight.contracts.json.Json;
import io.graylight.contracts.routing.TargetingRanking;
import io.graylight.contracts.targeting.TargetingScore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows {@code graylight.decisions} and {@code graylight.targeting} into a {@link DecisionBook}
 * on its own thread: every partition assigned (no consumer group: every router reads everything),
 * from the beginning, {@code read_committed} (a decision of an aborted or open transaction never
 * routes), then live. Both topics are compacted, so the start replays only the latest state.
 *
 * <p>It is {@link #caughtUp() caught up} once it has read to the end offsets it saw at start.
 * Connectivity is checked every second: fetches answered since the last check prove it, else an
 * end-offsets request is sent (that blocks this thread, so it is not done while fetches flow, when
 * it would hold up a decision arriving meanwhile); while Kafka is unreachable
 * the book keeps the last known decisions, and {@link #connected()} says so.
 */
public final class ControlFollower implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ControlFollower.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration PROBE_EVERY = Duration.ofSeconds(1);
    private static final Duration PROBE_TIMEOUT = Duration.ofMillis(1500);

    private final Properties properties;
    private final String decisionsTopic;
    private final String targetingTopic;
    private final DecisionBook book;
    private final Thread thread;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Map<String, Double> scores = new HashMap<>();
    private final AtomicLong badRecords = new AtomicLong();
    private final AtomicLong decisionsApplied = new AtomicLong();
    private volatile boolean running = true;
    private volatile boolean caughtUp;
    private volatile boolean connected;
    private volatile Instant lastContact;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    // follower thread only
    private Metric fetchTotal;
    private double fetchesAtLastProbe;

    public ControlFollower(String bootstrapServers, Map<String, String> extra, String decisionsTopic,
            String targetingTopic, DecisionBook book) {
        this.decisionsTopic = decisionsTopic;
        this.targetingTopic = targetingTopic;
        this.book = book;
        properties = new Properties();
        properties.putAll(extra);
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, "graylight-router-control");
        // a new decision must route within 100 ms of its commit: do not let the broker hold fetches long
        properties.putIfAbsent(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "50");
        properties.putIfAbsent(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "1000");
        thread = new Thread(this::run, "graylight-control-follower");
        thread.setDaemon(true);
    }

    public ControlFollower start() {
        thread.start();
        return this;
    }

    public boolean caughtUp() {
        return caughtUp;
    }

    public boolean connected() {
        return connected;
    }

    /** When the broker last answered, or null if never. */
    public Instant lastContact() {
        return lastContact;
    }

    public long badRecords() {
        return badRecords.get();
    }

    public long decisionsApplied() {
        return decisionsApplied.get();
    }

    private void run() {
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer = c;
            List<TopicPartition> partitions = List.of();
            Map<TopicPartition, Long> startEnd = Map.of();
            long nextProbe = 0;
            while (running) {
                if (partitions.isEmpty() || partitions.stream().noneMatch(p -> p.topic().equals(decisionsTopic))) {
                    // topics not there yet (or Kafka down at start): look again, keep serving meanwhile
                    partitions = discover(c);
                    if (partitions.isEmpty()) {
                        continue;
                    }
                    c.assign(partitions);
                    c.seekToBeginning(partitions);
                    startEnd = c.endOffsets(partitions, PROBE_TIMEOUT);
                    contact();
                }
                boolean rankingChanged = false;
                for (ConsumerRecord<byte[], byte[]> record : c.poll(POLL)) {
                    rankingChanged |= handle(record);
                }
                if (rankingChanged) {
                    book.setRanking(TargetingRanking.of(scores));
                }
                if (!caughtUp && reached(c, startEnd)) {
                    caughtUp = true;
                    LOG.info("control topics read up to their end at start: {} releases known", book.entries().size());
                }
                long now = System.nanoTime();
                if (now >= nextProbe) {
                    nextProbe = now + PROBE_EVERY.toNanos();
                    probe(c, partitions);
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("control follower stopped; the router keeps the last known decisions", e);
            connected = false;
        } finally {
            stopped.countDown();
        }
    }

    private List<TopicPartition> discover(KafkaConsumer<byte[], byte[]> c) {
        List<TopicPartition> found = new ArrayList<>();
        try {
            for (String topic : List.of(decisionsTopic, targetingTopic)) {
                List<PartitionInfo> infos = c.partitionsFor(topic, PROBE_TIMEOUT);
                if (infos != null) {
                    infos.forEach(info -> found.add(new TopicPartition(topic, info.partition())));
                }
            }
            contact();
            if (found.stream().noneMatch(p -> p.topic().equals(decisionsTopic))) {
                sleepQuietly(PROBE_EVERY);
                return List.of();
            }
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            connected = false;
            return List.of();
        }
        return found;
    }

    private boolean reached(KafkaConsumer<byte[], byte[]> c, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (c.position(e.getKey(), PROBE_TIMEOUT) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    private void probe(KafkaConsumer<byte[], byte[]> c, List<TopicPartition> partitions) {
        // Fetches answered since the last probe prove the broker is there without a request of
        // our own: an end-offsets call blocks this thread, and a decision arriving meanwhile waits.
        double fetches = fetchesAnswered(c);
        if (fetches > fetchesAtLastProbe) {
            fetchesAtLastProbe = fetches;
            contact();
            return;
        }
        try {
            c.endOffsets(partitions, PROBE_TIMEOUT);
            contact();
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            if (connected) {
                LOG.warn("Kafka unreachable: routing on the last known decisions");
            }
            connected = false;
        }
    }

    /** The consumer's count of answered fetch requests ({@code fetch-total}), or NaN if it has none. */
    private double fetchesAnswered(KafkaConsumer<byte[], byte[]> c) {
        if (fetchTotal == null) {
            for (Map.Entry<MetricName, ? extends Metric> m : c.metrics().entrySet()) {
                if (m.getKey().name().equals("fetch-total") && m.getKey().group().equals("consumer-fetch-manager-metrics")) {
                    fetchTotal = m.getValue();
                }
            }
            if (fetchTotal == null) {
                return Double.NaN;
            }
        }
        return fetchTotal.metricValue() instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    private void contact() {
        if (!connected) {
            LOG.info("Kafka reachable");
        }
        connected = true;
        lastContact = Instant.now();
    }

    /** Returns whether the targeting scores changed. */
    private boolean handle(ConsumerRecord<byte[], byte[]> record) {
        String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        try {
            if (record.topic().equals(decisionsTopic)) {
                if (record.value() == null) {
                    if (key != null) {
                        book.remove(key);
                    }
                    return false;
                }
                DecisionRecord decision = Json.fromBytes(record.value(), DecisionRecord.class);
                if (decision.release() == null || decision.action() == null) {
                    throw new IllegalArgumentException("decision without release or action");
                }
                if (book.apply(decision)) {
                    decisionsApplied.incrementAndGet();
                    LOG.info("decision {} #{}: {} at {} % ({})", decision.release(), decision.seq(), decision.action(),
                            decision.canaryPercent(), decision.strategy() == null ? "percentage" : decision.strategy().type());
                }
                return false;
            }
            if (record.value() == null) {
                return key != null && scores.remove(key) != null;
            }
            TargetingScore score = Json.fromBytes(record.value(), TargetingScore.class);
            if (score.userId() == null || !(score.score() >= 0 && score.score() <= 1)) {
                throw new IllegalArgumentException("targeting score without user or outside [0, 1]");
            }
            Double previous = scores.put(score.userId(), score.score());
            return previous == null || previous != score.score();
        } catch (RuntimeException e) {
            // a bad control record must not stop routing: skip it, count it, say where it is
            badRecords.incrementAndGet();
            LOG.warn("skipping bad record {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), e.getMessage());
            return false;
        }
    }

    private static void sleepQuietly(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        stopped.await(java.util.concurrent.TimeUnit.SECONDS.toMillis(10), java.util.concurrent.TimeUnit.MILLISECONDS);
    }
}
