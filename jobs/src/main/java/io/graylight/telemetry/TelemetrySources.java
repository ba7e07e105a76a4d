package io.graylight.telemetry;

import io.graylight.options.JobOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/** The telemetry sources every job reads, and their common event-time rules. */
public final class TelemetrySources {

    private TelemetrySources() {}

    /**
     * The telemetry topic, parsed in the source.
     *
     * @param job names the consumer group ({@code <prefix>-<job>})
     * @param stopAt where the source stops, making the job bounded (tests, backfills); null to
     *     follow the topic forever
     */
    public static KafkaSource<TelemetryRecord> kafka(JobOptions options, String job, OffsetsInitializer stopAt) {
        KafkaSourceBuilder<TelemetryRecord> source = KafkaSource.<TelemetryRecord>builder()
                .setBootstrapServers(options.bootstrapServers())
                .setTopics(options.topics().telemetry())
                .setGroupId(options.consumerGroup(job))
                .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setDeserializer(new KafkaTelemetryDeserializer(new TelemetryParser(options.maxFutureSkew())));
        if (stopAt != null) {
            source.setBounded(stopAt);
        }
        return source.build();
    }

    /** Recorded JSON Lines files ({@code .gz} too), one split per file, for replay and tests. */
    public static FileSource<TelemetryRecord> files(List<Path> files) {
        return files(files, null);
    }

    /** @param progressId counts lines read into {@code ReplayProgress} (null: no counting) */
    public static FileSource<TelemetryRecord> files(List<Path> files, String progressId) {
        org.apache.flink.core.fs.Path[] paths = files.stream()
                .map(p -> new org.apache.flink.core.fs.Path(p.toAbsolutePath().toUri()))
                .toArray(org.apache.flink.core.fs.Path[]::new);
        String origin = files.size() == 1 ? "file:" + files.get(0).getFileName() : "file";
        return FileSource.forRecordStreamFormat(new TelemetryLineFormat(origin, progressId), paths).build();
    }

    /**
     * Bounded out-of-orderness with idleness, emitted by the data ({@link DataDrivenWatermarks})
     * in steps of a tenth of {@code step} (at most a second), so replays are deterministic.
     */
    public static WatermarkStrategy<TelemetryRecord> watermarks(JobOptions options, Duration step) {
        Duration watermarkStep = Duration.ofMillis(Math.max(1, Math.min(1000, step.toMillis() / 10)));
        return WatermarkStrategy
                .<TelemetryRecord>forGenerator(ctx -> new DataDrivenWatermarks<>(options.maxOutOfOrderness(), watermarkStep))
                .withTimestampAssigner((record, previous) -> record.eventTimeMillis())
                .withIdleness(options.idleness());
    }
}
