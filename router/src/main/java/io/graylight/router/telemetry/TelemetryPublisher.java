package io.graylight.router.telemetry;

import io.graylight.contracts.telemetry.TelemetryCodec;
import io.graylight.contracts.telemetry.TelemetryEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends telemetry events to {@code graylight.telemetry} off the request path: a request only
 * {@link #publish offers} its event to a bounded queue (never blocks, never allocates beyond the
 * bound); one sender thread encodes them with {@link TelemetryCodec} and hands them to a batching
 * Kafka producer. When Kafka is slow or down the queue fills and further events are dropped and
 * counted, so memory stays bounded; the producer's own buffer is bounded too and its sends give up
 * after {@code max.block.ms}.
 *
 * <p>Every event loop publishes, so the queue takes no lock (an {@code ArrayBlockingQueue} has
 * one lock for both ends, which the event loops and the sender would contend for on every call):
 * a lock-free queue bounded by a counter, and a sender that naps for the producer's linger when
 * it finds the queue empty: the producer would hold what it got for that long anyway, and each
 * nap is a wake-up that takes a core from the event loops (an event waits at most two lingers).
 */
public final class TelemetryPublisher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TelemetryPublisher.class);
    private static final int BATCH = 512;

    private final Queue<TelemetryEvent> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final int bufferSize;
    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;
    private final TelemetryCodec codec = new TelemetryCodec();
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final long napNanos;
    private final Thread sender;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean running = true;

    /** A publisher that only counts (no Kafka configured, or telemetry off). */
    public static TelemetryPublisher disabled() {
        return new TelemetryPublisher(null, null, 1, Duration.ZERO);
    }

    public static TelemetryPublisher kafka(String bootstrapServers, Map<String, String> extra, String topic,
            int bufferSize, Duration linger) {
        Properties props = new Properties();
        props.putAll(extra);
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "graylight-router-telemetry");
        props.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
        props.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, String.valueOf(linger.toMillis()));
        props.putIfAbsent(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        props.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(64 * 1024));
        props.putIfAbsent(ProducerConfig.BUFFER_MEMORY_CONFIG, String.valueOf(16L * 1024 * 1024));
        // while Kafka is down a send waits for metadata this long, on the sender thread only
        props.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, "500");
        props.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
        props.putIfAbsent(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        return new TelemetryPublisher(new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer()),
                topic, bufferSize, linger);
    }

    private TelemetryPublisher(KafkaProducer<byte[], byte[]> producer, String topic, int bufferSize, Duration linger) {
        this.producer = producer;
        this.topic = topic;
        this.bufferSize = bufferSize;
        this.napNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(1), linger.toNanos());
        this.sender = new Thread(this::run, "graylight-telemetry-sender");
        sender.setDaemon(true);
        if (producer != null) {
            sender.start();
        } else {
            stopped.countDown();
        }
    }

    /** Queues the event for sending; returns false (and counts a drop) when the buffer is full. */
    public boolean publish(TelemetryEvent event) {
        published.incrementAndGet();
        if (producer == null) {
            return false;
        }
        if (size.incrementAndGet() > bufferSize) {
            size.decrementAndGet();
            dropped.incrementAndGet();
            return false;
        }
        queue.add(event);
        return true;
    }

    public boolean enabled() {
        return producer != null;
    }

    public long published() {
        return published.get();
    }

    public long dropped() {
        return dropped.get();
    }

    public long sent() {
        return sent.get();
    }

    public long failed() {
        return failed.get();
    }

    public int queued() {
        return size.get();
    }

    private void run() {
        List<TelemetryEvent> batch = new ArrayList<>(BATCH);
        try {
            awaitMetadata();
            while (running || size.get() > 0) {
                TelemetryEvent event;
                while (batch.size() < BATCH && (event = queue.poll()) != null) {
                    batch.add(event);
                }
                if (batch.isEmpty()) {
                    LockSupport.parkNanos(napNanos);
                    continue;
                }
                size.addAndGet(-batch.size());
                for (TelemetryEvent e : batch) {
                    send(e);
                }
                batch.clear();
            }
        } finally {
            stopped.countDown();
        }
    }

    /**
     * Learns the topic's partitions before the first send: a send waits at most
     * {@code max.block.ms} for them and then fails, so on a slow start (a busy broker) the first
     * calls' events would be lost. Meanwhile events wait in the queue (bounded as ever).
     */
    private void awaitMetadata() {
        while (running) {
            try {
                producer.partitionsFor(topic);
                return;
            } catch (RuntimeException e) {
                LOG.debug("telemetry: topic {} not known yet: {}", topic, e.toString());
            }
        }
    }

    private void send(TelemetryEvent event) {
        try {
            byte[] key = event.userId().getBytes(StandardCharsets.UTF_8);
            producer.send(new ProducerRecord<>(topic, key, codec.encode(event)), (metadata, error) -> {
                if (error == null) {
                    sent.incrementAndGet();
                } else {
                    failed.incrementAndGet();
                }
            });
        } catch (RuntimeException e) {
            // metadata unavailable within max.block.ms (Kafka down) or buffer exhausted
            failed.incrementAndGet();
        }
    }

    /** Sends what is queued (up to {@code timeout}), then closes the producer. */
    public void close(Duration timeout) throws InterruptedException {
        running = false;
        if (!stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            LOG.warn("telemetry: {} events still queued at shutdown are lost", size.get());
        }
        if (producer != null) {
            producer.close(timeout);
        }
    }

    @Override
    public void close() throws InterruptedException {
        close(Duration.ofSeconds(5));
    }
}
