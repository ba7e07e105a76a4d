package io.graylight.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.graylight.contracts.alert.Alert;
import io.graylight.contracts.alert.AlertScope;
import io.graylight.contracts.alert.AlertSource;
import io.graylight.contracts.alert.Effect;
import io.graylight.contracts.alert.MatchedEvents;
import io.graylight.contracts.alert.Severity;
import io.graylight.contracts.decision.Action;
import io.graylight.contracts.decision.DecisionRecord;
import io.graylight.contracts.json.Json;
import io.graylight.contracts.metrics.CohortMetrics;
import io.graylight.contracts.telemetry.DeadLetter;
import io.graylight.metrics.TelemetryMetricsJob;
import io.graylight.options.JobOptions;
import io.graylight.rollout.RolloutDecisionJob;
import io.graylight.rollout.RolloutJudge;
import io.graylight.simulator.Fault;
import io.graylight.simulator.KafkaRecordSink;
import io.graylight.simulator.SimulatedRecord;
import io.graylight.simulator.SimulationConfig;
import io.graylight.simulator.TrafficSimulator;
import io.graylight.sink.JsonKafkaSink;
import io.graylight.sink.Topics;
import io.graylight.telemetry.TelemetrySources;
import io.graylight.testing.ElasticsearchExtension;
import io.graylight.testing.EmbeddedKafkaExtension;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.core.execution.JobClient;
import org.awaitility.Awaitility;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole path into a real Elasticsearch: simulated telemetry → metrics and decision jobs →
 * Kafka → indexing job → Elasticsearch, then the documents are queried and compared with what
 * Kafka holds; a second indexing run over the same topics (and alerts published twice) leaves
 * every count unchanged, because document ids are deterministic.
 */
class EsIndexingJobTest {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    @RegisterExtension
    static final ElasticsearchExtension ES = new ElasticsearchExtension();

    static final String PLAN = """
            release: chat
            stages: [10, 25, 50, 100]
            minStageDuration: 1m
            minSamples: 200
            alpha: 0.01
            guards:
              - {metric: error_rate, margin: 0.03}
              - {metric: latency_p50, relativeMargin: 0.30}
            """;

    /** Both tests share the node; each queries its own release. */
    static final String CHAT = "{\"term\":{\"release\":\"chat\"}}";

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @Test
    void aSimulatedRolloutLandsInElasticsearchAndARerunAddsNothing() throws Exception {
        Topics topics = new Topics("es-" + UUID.randomUUID().toString().substring(0, 8) + ".");
        KAFKA.broker().createTopics(2, topics.telemetry(), topics.deadLetters(), topics.metrics(), topics.alerts());
        KAFKA.broker().createTopics(1, true, topics.decisions());
        Instant start = Instant.parse("2026-12-01T23:56:00Z"); // crosses midnight: two daily indices
        try (KafkaRecordSink sink = telemetrySink(topics.telemetry())) {
            for (SimulatedRecord record : new TrafficSimulator(SimulationConfig.builder().seed(11).start(start)
                    .release("chat").canaryPercent(25).rateFactor(4).duration(Duration.ofMinutes(7))
                    .malformedRate(0.01).fault(Fault.parse("error_rate=0.25@5m")).build())) {
                sink.write(record);
            }
        }
        JobOptions options = JobOptions.defaults().withBootstrapServers(KAFKA.broker().bootstrapServers()).withTopics(topics)
                .withWindow(Duration.ofSeconds(30), Duration.ofSeconds(30));

        // the metrics and decision jobs, bounded by the telemetry written so far
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        env.enableCheckpointing(500);
        TelemetryMetricsJob.forKafka(options, OffsetsInitializer.latest()).build(env);
        env.execute("metrics");
        env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        env.enableCheckpointing(500);
        new RolloutDecisionJob(TelemetrySources.kafka(options, "decisions", OffsetsInitializer.latest()), null, null,
                JsonKafkaSink.create(KAFKA.broker().bootstrapServers(), topics.decisions(), DecisionRecord::release,
                        DeliveryGuarantee.EXACTLY_ONCE, topics.prefix() + "decisions", Duration.ofMinutes(5)),
                options, List.of(new RolloutJudge.PlanSource(PLAN, "test-plan.yaml")), false).build(env);
        env.execute("decisions");

        List<Alert> alerts = List.of(
                alert("cep-1", AlertSource.CEP, start.plusSeconds(310), Severity.CRITICAL),
                alert("cep-2", AlertSource.CEP, start.plusSeconds(320), Severity.WARNING),
                alert("cep-3", AlertSource.CEP, start.plusSeconds(30), Severity.INFO),
                alert("anomaly-1", AlertSource.ANOMALY, start.plusSeconds(330), Severity.WARNING));
        publish(topics.alerts(), alerts);

        List<CohortMetrics> metrics = read(topics.metrics(), CohortMetrics.class);
        List<DecisionRecord> decisions = read(topics.decisions(), DecisionRecord.class);
        List<DeadLetter> deadLetters = read(topics.deadLetters(), DeadLetter.class);
        assertThat(metrics).as("the metrics job wrote windows").hasSizeGreaterThan(10);
        assertThat(decisions).extracting(DecisionRecord::action).contains(Action.START, Action.ROLLBACK);
        assertThat(deadLetters).as("the malformed records went to the DLQ").isNotEmpty();

        index(options, "first");
        Map<String, Long> expectedPerCohort = metrics.stream()
                .collect(Collectors.groupingBy(CohortMetrics::cohort, Collectors.counting()));
        assertThat(expectedPerCohort).containsOnlyKeys("baseline", "canary");
        assertIndexed(metrics, decisions, alerts, deadLetters, expectedPerCohort);

        // the same input again: alerts published a second time, the topics indexed once more
        // from the beginning by a new consumer group; ids are deterministic, so nothing is added
        publish(topics.alerts(), alerts);
        index(options, "second");
        assertIndexed(metrics, decisions, alerts, deadLetters, expectedPerCohort);
    }

    /**
     * Elasticsearch stops mid-run: the decision job goes on deciding into Kafka (the ROLLBACK is
     * decided while the node is down), the indexing job's bulks fail and it restarts with backoff,
     * and once the node is back every decision Kafka holds lands in Elasticsearch, once.
     */
    @Test
    void decisionsGoOnWhileElasticsearchIsDownAndTheBacklogLandsAfter(@InjectMiniCluster MiniCluster flink) throws Exception {
        Topics topics = new Topics("es-down-" + UUID.randomUUID().toString().substring(0, 8) + ".");
        KAFKA.broker().createTopics(2, topics.telemetry(), topics.deadLetters(), topics.metrics(), topics.alerts());
        KAFKA.broker().createTopics(1, true, topics.decisions());
        Instant start = Instant.parse("2026-12-02T08:00:00Z");
        Instant outage = start.plus(Duration.ofMinutes(3));
        List<SimulatedRecord> before = new ArrayList<>();
        List<SimulatedRecord> during = new ArrayList<>();
        for (SimulatedRecord record : new TrafficSimulator(SimulationConfig.builder().seed(12).start(start)
                .release("outage").canaryPercent(25).rateFactor(4).duration(Duration.ofMinutes(7))
                .fault(Fault.parse("error_rate=0.25@4m")).build())) {
            (record.eventTimeMillis() < outage.toEpochMilli() ? before : during).add(record);
        }
        JobOptions options = JobOptions.defaults().withBootstrapServers(KAFKA.broker().bootstrapServers()).withTopics(topics);

        StreamExecutionEnvironment deciding = StreamExecutionEnvironment.getExecutionEnvironment();
        deciding.setParallelism(1);
        deciding.enableCheckpointing(300);
        new RolloutDecisionJob(TelemetrySources.kafka(options, "decisions", null), null, null,
                JsonKafkaSink.create(KAFKA.broker().bootstrapServers(), topics.decisions(), DecisionRecord::release,
                        DeliveryGuarantee.EXACTLY_ONCE, topics.prefix() + "decisions", Duration.ofMinutes(5)),
                options, List.of(new RolloutJudge.PlanSource(PLAN.replace("release: chat", "release: outage"), "outage.yaml")),
                false).build(deciding);
        JobClient decisionJob = deciding.executeAsync("decisions");

        StreamExecutionEnvironment indexing = StreamExecutionEnvironment.getExecutionEnvironment();
        indexing.setParallelism(1);
        indexing.enableCheckpointing(300);
        indexing.configure(Configuration.fromMap(Map.of(
                "restart-strategy.type", "exponential-delay",
                "restart-strategy.exponential-delay.initial-backoff", "200 ms",
                "restart-strategy.exponential-delay.max-backoff", "2 s",
                "restart-strategy.exponential-delay.attempts-before-reset-backoff", "100000")));
        IndexingJob.forKafka(options, EsOptions.defaults().withHosts(ES.url()).withBulkFlush(50, Duration.ofMillis(200)),
                null, null).build(indexing);
        JobClient indexingJob = indexing.executeAsync("indexing");
        String outageRelease = "{\"term\":{\"release\":\"outage\"}}";
        try {
            write(topics.telemetry(), before);
            // a fresh daily index answers 503 (no shard available) until its shard is allocated
            Awaitility.await("decisions before the outage indexed").atMost(Duration.ofMinutes(3)).ignoreExceptions()
                    .until(() -> ES.count(EsIndices.Family.DECISIONS.pattern(), outageRelease) >= 2);

            ES.node().stop();
            write(topics.telemetry(), during);
            Awaitility.await("a rollback decided while Elasticsearch is down").atMost(Duration.ofMinutes(3))
                    .until(() -> read(topics.decisions(), DecisionRecord.class).stream().anyMatch(d -> d.action() == Action.ROLLBACK));
            assertThat(ES.node().isAlive()).as("the node was down all the while").isFalse();
            assertThat(decisionJob.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
            Awaitility.await("the indexing job failed on the outage and restarted").atMost(Duration.ofMinutes(1))
                    .until(() -> restarts(flink, indexingJob.getJobID()) >= 1);

            ES.node().restart(ElasticsearchLauncher.DEFAULT_START_TIMEOUT);
            Map<String, String> expected = read(topics.decisions(), DecisionRecord.class).stream()
                    .collect(Collectors.toMap(d -> EsIndices.decisionId(d.release(), d.seq()), d -> d.action().name()));
            assertThat(expected).containsValue("ROLLBACK");
            Awaitility.await("the backlog lands").atMost(Duration.ofMinutes(3)).ignoreExceptions().pollInterval(Duration.ofSeconds(1))
                    .until(() -> ES.count(EsIndices.Family.DECISIONS.pattern(), outageRelease) >= expected.size());
            Map<String, String> indexed = new java.util.HashMap<>();
            ES.hits(EsIndices.Family.DECISIONS.pattern(), outageRelease, 1000)
                    .forEach(h -> indexed.put(h.path("_id").asText(), h.path("_source").path("action").asText()));
            assertThat(indexed).isEqualTo(expected);
        } finally {
            indexingJob.cancel().get();
            decisionJob.cancel().get();
            if (!ES.node().isAlive()) {
                ES.node().restart(ElasticsearchLauncher.DEFAULT_START_TIMEOUT);
            }
        }
    }

    /** The job's numRestarts metric, through the MiniCluster's REST API (as an operator would read it). */
    private static long restarts(MiniCluster flink, JobID job) throws Exception {
        URI uri = flink.getRestAddress().get().resolve("/jobs/" + job + "/metrics?get=numRestarts");
        String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body();
        JsonNode metrics = Json.MAPPER.readTree(body);
        return metrics.isArray() && metrics.size() > 0 ? metrics.get(0).path("value").asLong() : 0;
    }

    /**
     * The simulator's sink, made robust for a machine under heavy load: an idempotent producer whose
     * batch times out resets its sequence and the broker then refuses every later batch
     * (OutOfOrderSequenceException); a plain producer with one request in flight keeps the order,
     * and a retried duplicate is dropped by the jobs' de-duplication by eventId.
     */
    private static KafkaRecordSink telemetrySink(String topic) {
        Properties props = KAFKA.broker().clientProperties();
        props.setProperty(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
        props.setProperty(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
        props.setProperty(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "60000");
        props.setProperty(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "300000");
        return new KafkaRecordSink(props, topic);
    }

    private static void write(String topic, List<SimulatedRecord> records) throws Exception {
        try (KafkaRecordSink sink = telemetrySink(topic)) {
            for (SimulatedRecord record : records) {
                sink.write(record);
            }
        }
    }

    private void assertIndexed(List<CohortMetrics> metrics, List<DecisionRecord> decisions, List<Alert> alerts,
                               List<DeadLetter> deadLetters, Map<String, Long> expectedPerCohort) {
        String metricsPattern = EsIndices.Family.METRICS.pattern();
        for (var cohort : expectedPerCohort.entrySet()) {
            assertThat(ES.count(metricsPattern, "{\"bool\":{\"filter\":[" + CHAT + ",{\"term\":{\"cohort\":\""
                    + cohort.getKey() + "\"}}]}}"))
                    .as("metric documents of the %s cohort", cohort.getKey()).isEqualTo(cohort.getValue());
        }
        assertThat(ES.count(metricsPattern, CHAT)).isEqualTo(metrics.size());
        // one document per window, in the daily index of its window start, with its figures
        CohortMetrics sample = metrics.get(metrics.size() / 2);
        JsonNode doc = ES.hits(metricsPattern, "{\"ids\":{\"values\":[\"" + EsIndices.metricsId(sample.release(),
                sample.cohort(), sample.windowStart()) + "\"]}}", 10);
        assertThat(doc).hasSize(1);
        assertThat(doc.get(0).path("_index").asText()).isEqualTo(EsIndices.Family.METRICS.index(sample.windowStart()));
        assertThat(doc.get(0).path("_source").path("requests").asLong()).isEqualTo(sample.requests());
        assertThat(doc.get(0).path("_source").path(EsIndices.TIMESTAMP).asText()).isEqualTo(sample.windowStart().toString());
        Set<String> days = metrics.stream().map(m -> EsIndices.Family.METRICS.index(m.windowStart())).collect(Collectors.toSet());
        assertThat(days).as("the run crosses midnight").hasSize(2);
        JsonNode mapping = ES.call("GET", "/" + metricsPattern + "/_mapping", null);
        assertThat(mapping.findValue("cohort").path("type").asText()).as("the template's mapping applies").isEqualTo("keyword");
        assertThat(mapping.findValue("latencyP95").path("type").asText()).isEqualTo("double");

        String decisionsPattern = EsIndices.Family.DECISIONS.pattern();
        assertThat(ES.count(decisionsPattern, CHAT)).isEqualTo(decisions.size());
        Map<String, String> actionsById = new java.util.HashMap<>();
        ES.hits(decisionsPattern, CHAT, 1000).forEach(h -> actionsById.put(h.path("_id").asText(), h.path("_source").path("action").asText()));
        assertThat(actionsById).isEqualTo(decisions.stream()
                .collect(Collectors.toMap(d -> EsIndices.decisionId(d.release(), d.seq()), d -> d.action().name())));

        assertThat(ES.count(EsIndices.Family.ALERTS.pattern(), null)).isEqualTo(3);
        assertThat(ES.count(EsIndices.Family.ALERTS.pattern(), "{\"term\":{\"severity\":\"critical\"}}")).isEqualTo(1);
        assertThat(ES.count(EsIndices.Family.ANOMALIES.pattern(), null)).isEqualTo(1);
        List<String> alertIds = new ArrayList<>();
        ES.hits("graylight-alerts-*,graylight-anomalies-*", null, 100).forEach(h -> alertIds.add(h.path("_id").asText()));
        assertThat(alertIds).containsExactlyInAnyOrderElementsOf(alerts.stream().map(Alert::alertId).toList());

        // DLQ summaries: per minute, release and reason; their counts add up to the dead letters
        assertThat((long) ES.sum(EsIndices.Family.DLQ.pattern(), "count")).isEqualTo(deadLetters.size());
        long summaries = deadLetters.stream().map(DlqSummary::of).map(DlqSummary::id).distinct().count();
        assertThat(ES.count(EsIndices.Family.DLQ.pattern(), null)).isEqualTo(summaries);
    }

    private void index(JobOptions options, String run) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        env.enableCheckpointing(500);
        JobOptions group = JobOptions.fromConfiguration(Configuration.fromMap(Map.of(
                        "consumer-group", "indexing-" + run)))
                .withBootstrapServers(options.bootstrapServers()).withTopics(options.topics());
        IndexingJob.forKafka(group, EsOptions.defaults().withHosts(ES.url()), OffsetsInitializer.earliest(),
                OffsetsInitializer.latest()).build(env);
        env.execute("indexing-" + run);
    }

    static Alert alert(String id, AlertSource source, Instant at, Severity severity) {
        return new Alert(id, source, source == AlertSource.CEP ? "error-burst" : "anomaly@v1", severity, Effect.NOTIFY,
                false, "chat", AlertScope.CANARY, at, at.plusMillis(250), null, "canary errors " + id,
                new MatchedEvents(5, at.minusSeconds(20), at, List.of("e1", "e2"), source == AlertSource.CEP
                        ? Map.of("errorRate", 0.2)
                        // as AnomalyAlerts writes them: dotted feature names (objects to Elasticsearch) beside scores
                        : Map.of("contrast.error_rate", 11.09, "canary.latency_p90", -4.28, "contrastScore", 0.58, "canaryScore", 1.0)),
                source == AlertSource.ANOMALY ? 0.93 : null);
    }

    private static void publish(String topic, List<?> records) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(KAFKA.broker().clientProperties(), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (Object record : records) {
                producer.send(new ProducerRecord<>(topic, "chat".getBytes(), Json.toBytes(record))).get();
            }
        }
    }

    private static <T> List<T> read(String topic, Class<T> type) {
        Function<byte[], T> parse = bytes -> Json.fromBytes(bytes, type);
        return KAFKA.broker().readCommitted(topic).stream().map(r -> parse.apply(r.value())).toList();
    }

    static Instant minute(Instant t) {
        return t.truncatedTo(ChronoUnit.MINUTES);
    }
}
