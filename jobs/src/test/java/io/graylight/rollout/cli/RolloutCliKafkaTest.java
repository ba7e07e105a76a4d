package io.graylight.rollout.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.graylight.cli.GraylightCli;
import io.graylight.contracts.command.CommandType;
import io.graylight.contracts.command.DecodedCommand;
import io.graylight.contracts.command.RolloutCommand;
import io.graylight.contracts.command.RolloutCommands;
import io.graylight.contracts.decision.Action;
import io.graylight.contracts.decision.DecisionRecord;
import io.graylight.contracts.decision.Evidence;
import io.graylight.contracts.decision.Strategy;
import io.graylight.contracts.json.Json;
import io.graylight.rollout.plan.PlanParser;
import io.graylight.sink.Topics;
import io.graylight.testing.EmbeddedKafkaExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The rollout and decisions commands against a real in-JVM Kafka 3.4 KRaft broker. */
class RolloutCliKafkaTest {

    static final Pattern ACK = Pattern.compile("^(\\w+) (\\S+): command ([0-9a-f-]{36}) acknowledged \\((\\S+)-(\\d+)@(\\d+)\\)$",
            Pattern.MULTILINE);
    static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    static final String PLAN = """
            # chat, percentage
            release: chat
            canaryVersion: v2
            stages: [1, 5, 100]
            guards:
              - {metric: error_rate, margin: 0.002}
            """;

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @TempDir
    Path dir;

    Topics topics;

    @BeforeEach
    void uniqueTopics() throws Exception {
        topics = new Topics("it-" + UUID.randomUUID().toString().substring(0, 8) + ".");
        KAFKA.broker().createTopics(2, topics.commands());
        KAFKA.broker().createTopics(3, true, topics.decisions());
    }

    // --- commands ---

    @Test
    void startSendsOneCommandWithThePlanText() throws Exception {
        Path plan = Files.writeString(dir.resolve("chat.yaml"), PLAN);

        CliRun run = cli("rollout", "start", "--plan", plan.toString(), "--reason", "prompt v2", "--issued-by", "alice@ops");

        assertThat(run.exit()).as(run.toString()).isZero();
        Matcher ack = ACK.matcher(run.out());
        assertThat(ack.find()).as(run.out()).isTrue();
        assertThat(ack.group(1)).isEqualTo("START");
        assertThat(ack.group(2)).isEqualTo("chat");
        assertThat(ack.group(4)).isEqualTo(topics.commands());

        List<ConsumerRecord<byte[], byte[]>> records = readAll(topics.commands());
        assertThat(records).hasSize(1);
        ConsumerRecord<byte[], byte[]> record = records.get(0);
        assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("chat");
        assertThat(record.partition()).isEqualTo(Integer.parseInt(ack.group(5)));
        assertThat(record.offset()).isEqualTo(Long.parseLong(ack.group(6)));
        DecodedCommand decoded = RolloutCommands.decode(record.value());
        assertThat(decoded.problem()).isNull();
        RolloutCommand command = decoded.command();
        assertThat(command.commandId()).isEqualTo(UUID.fromString(ack.group(3)));
        assertThat(command.type()).isEqualTo(CommandType.START);
        assertThat(command.release()).isEqualTo("chat");
        assertThat(command.planYaml()).isEqualTo(PLAN);
        assertThat(command.planSource()).isEqualTo(plan.toString());
        assertThat(command.reason()).isEqualTo("prompt v2");
        assertThat(command.issuedBy()).isEqualTo("alice@ops");
        assertThat(command.issuedAt()).isBetween(Instant.now().minusSeconds(60), Instant.now());
        // the job re-validates what was sent, and it means the same plan
        assertThat(PlanParser.parse(command.planYaml(), command.planSource())).isEqualTo(PlanParser.parse(plan));
    }

    @Test
    void aRefusedPlanSendsNothingAndExitsTwo() throws Exception {
        Path plan = Files.writeString(dir.resolve("bad.yaml"),
                "release: chat\nstages: [1, 50, 25]\nguards:\n  - {metric: latency_p96, relativeMargin: 0.1}\n");

        CliRun run = cli("rollout", "start", "--plan", plan.toString());

        assertThat(run.exit()).as(run.toString()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err().lines()).containsExactly(
                plan + ":2:17: stages must rise strictly: 25 follows 50",
                plan + ":4:14: unknown metric 'latency_p96' (known: error_rate, timeout_rate, rate_limited_rate, "
                        + "refusal_rate, latency_p50, latency_p95, latency_p99, ttft_p50, ttft_p95, cost_per_request, "
                        + "quality_score, negative_feedback_rate)",
                "rollout start: plan refused, nothing sent");
        assertThat(readAll(topics.commands())).isEmpty();
    }

    @Test
    void operatorCommandsCarryTheirTypeAndNoPlan() throws Exception {
        List<String> ids = new ArrayList<>();
        for (String verb : List.of("pause", "resume", "abort", "promote")) {
            CliRun run = cli("rollout", verb, "chat", "--reason", verb + " it", "--issued-by", "bob");
            assertThat(run.exit()).as(run.toString()).isZero();
            Matcher ack = ACK.matcher(run.out());
            assertThat(ack.find()).as(run.out()).isTrue();
            assertThat(ack.group(1)).isEqualTo(verb.toUpperCase());
            ids.add(ack.group(3));
        }

        List<RolloutCommand> commands = readAll(topics.commands()).stream()
                .peek(r -> assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("chat"))
                .map(r -> RolloutCommands.decode(r.value()).command())
                .toList();
        assertThat(commands).extracting(RolloutCommand::type)
                .containsExactly(CommandType.PAUSE, CommandType.RESUME, CommandType.ABORT, CommandType.PROMOTE);
        assertThat(commands).extracting(c -> c.commandId().toString()).containsExactlyElementsOf(ids);
        assertThat(commands).allSatisfy(c -> {
            assertThat(c.release()).isEqualTo("chat");
            assertThat(c.planYaml()).isNull();
            assertThat(c.planSource()).isNull();
            assertThat(c.issuedBy()).isEqualTo("bob");
            assertThat(c.reason()).isEqualTo(c.type().name().toLowerCase() + " it");
        });
    }

    @Test
    void aMissingTopicIsReportedNotHung() {
        CliRun run = CliRun.of("rollout", "pause", "chat", "--kafka", KAFKA.broker().bootstrapServers(),
                "--topic-prefix", "missing-" + UUID.randomUUID() + ".", "--timeout", "2s");

        assertThat(run.exit()).as(run.toString()).isEqualTo(1);
        assertThat(run.err()).startsWith("rollout pause: not sent to missing-").contains("commands");
    }

    // --- decisions ---

    @Test
    void statusShowsTheLatestCommittedDecisionAndTheHistory() throws Exception {
        writeDecisionHistoryWithAbortedAndOpenTransactions();

        CliRun run = cli("rollout", "status", "chat");

        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out()).isEqualTo("""
                chat: ROLLBACK at stage 1, canary 0% (seq 3, 2026-12-01T10:25:00Z)
                  strategy  percentage
                  reason    error_rate: canary 4.1% vs baseline 1.0% (e-value 152 >= 100)
                  evidence  error_rate: baseline 1.00% canary 4.10%, e-value 152.3 (threshold 100), n 5400/610
                            latency_p95: baseline 812 ms canary 905 ms, upper-confidence-bound 0.08 (threshold 0.1), n 5400/610

                history (3 decisions, oldest first):
                  seq  time                  action    stage   canary  reason
                    1  2026-12-01T10:00:00Z  START         0       1%  plan chat.yaml
                    2  2026-12-01T10:12:00Z  PROMOTE       1       5%  all guards within margins after 612 canary requests
                    3  2026-12-01T10:25:00Z  ROLLBACK      1       0%  error_rate: canary 4.1% vs baseline 1.0% (e-value 152 >= 100)
                """);
        assertThat(run.err()).contains("rollout status: skipped " + topics.decisions() + "-")
                .contains(": not a decision record: ");
        assertThat(run.out() + run.err()).doesNotContain("ABORTED-TXN", "OPEN-TXN", "search");
    }

    @Test
    void statusOfAnUnknownReleaseFails() throws Exception {
        writeDecisionHistoryWithAbortedAndOpenTransactions();

        CliRun run = cli("rollout", "status", "nope");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).isEqualTo("rollout status: no decisions for release 'nope' on " + topics.decisions() + "\n");
    }

    @Test
    void statusAndTailOnAMissingTopicFail() {
        String prefix = "missing-" + UUID.randomUUID() + ".";
        for (String[] args : List.of(new String[] {"rollout", "status", "chat"}, new String[] {"decisions", "tail"})) {
            List<String> all = new ArrayList<>(List.of(args));
            all.addAll(List.of("--kafka", KAFKA.broker().bootstrapServers(), "--topic-prefix", prefix, "--timeout", "2s"));
            CliRun run = CliRun.of(all.toArray(String[]::new));
            assertThat(run.exit()).as(run.toString()).isEqualTo(1);
            assertThat(run.err()).contains("cannot read " + prefix + "decisions: ");
        }
    }

    @Test
    void tailPrintsCommittedDecisionsReadably() throws Exception {
        writeDecisionHistoryWithAbortedAndOpenTransactions();

        CliRun all = cli("decisions", "tail");
        assertThat(all.exit()).as(all.toString()).isZero();
        assertThat(all.out().lines().filter(l -> !l.startsWith(" ")).sorted()).containsExactly(
                "2026-12-01T10:00:00Z  chat  #1  START     stage 0 -> 1%  plan chat.yaml",
                "2026-12-01T10:05:00Z  search  #1  START     stage 0 -> 1%  plan all.yaml",
                "2026-12-01T10:12:00Z  chat  #2  PROMOTE   stage 1 -> 5%  all guards within margins after 612 canary requests",
                "2026-12-01T10:25:00Z  chat  #3  ROLLBACK  stage 1 -> 0%  error_rate: canary 4.1% vs baseline 1.0% (e-value 152 >= 100)");
        assertThat(all.out()).doesNotContain("ABORTED-TXN", "OPEN-TXN");

        CliRun chat = cli("decisions", "tail", "--release", "chat", "--last", "1");
        assertThat(chat.out()).isEqualTo("""
                2026-12-01T10:25:00Z  chat  #3  ROLLBACK  stage 1 -> 0%  error_rate: canary 4.1% vs baseline 1.0% (e-value 152 >= 100)
                    error_rate: baseline 1.00% canary 4.10%, e-value 152.3 (threshold 100), n 5400/610
                    latency_p95: baseline 812 ms canary 905 ms, upper-confidence-bound 0.08 (threshold 0.1), n 5400/610
                """);

        CliRun search = cli("decisions", "tail", "--release", "search");
        assertThat(search.out()).isEqualTo("2026-12-01T10:05:00Z  search  #1  START     stage 0 -> 1%  plan all.yaml\n");
    }

    @Test
    void tailFollowPrintsNewCommittedDecisionsUntilStopped() throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = transactionalProducer("follow-" + UUID.randomUUID())) {
            commit(producer, decision("chat", 1, Action.START, 0, 1.0, T0, "plan chat.yaml"));

            StringWriter out = new StringWriter();
            CommandLine cli = GraylightCli.commandLine();
            cli.setOut(new PrintWriter(out, true));
            cli.setErr(new PrintWriter(new StringWriter(), true));
            DecisionsCli.Tail tail = cli.getSubcommands().get("decisions").getSubcommands().get("tail").getCommand();
            ExecutorService executor = Executors.newSingleThreadExecutor();
            try {
                Future<Integer> exit = executor.submit(() -> cli.execute("decisions", "tail", "--follow", "--release", "chat",
                        "--kafka", KAFKA.broker().bootstrapServers(), "--topic-prefix", topics.prefix()));

                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(out.toString()).contains("chat  #1  START"));

                producer.beginTransaction();
                producer.send(record(decision("chat", 2, Action.HOLD, 0, 1.0, T0.plusSeconds(60), "held")));
                producer.send(record(decision("search", 1, Action.START, 0, 1.0, T0, "other release")));
                producer.flush();
                // written but not committed: not shown
                await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
                        .untilAsserted(() -> assertThat(out.toString()).doesNotContain("held"));
                producer.send(record(decision("chat", 3, Action.PROMOTE, 1, 5.0, T0.plusSeconds(600), "promoted")));
                producer.commitTransaction();

                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(out.toString())
                        .contains("chat  #2  HOLD      stage 0 -> 1%  held")
                        .contains("chat  #3  PROMOTE   stage 1 -> 5%  promoted"));
                assertThat(out.toString()).doesNotContain("search");

                tail.stop();
                assertThat(exit.get(30, TimeUnit.SECONDS)).isZero();
            } finally {
                tail.stop();
                executor.shutdownNow();
            }
        }
    }

    // --- helpers ---

    private CliRun cli(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--kafka", KAFKA.broker().bootstrapServers(), "--topic-prefix", topics.prefix()));
        return CliRun.of(all.toArray(String[]::new));
    }

    /**
     * chat: seq 1 START, 2 PROMOTE, 3 ROLLBACK committed; a seq 3 in an aborted transaction and a
     * seq 4 in a transaction left open; search: seq 1 committed; and one record that is not a decision.
     */
    private void writeDecisionHistoryWithAbortedAndOpenTransactions() throws Exception {
        String id = UUID.randomUUID().toString();
        try (KafkaProducer<byte[], byte[]> judge = transactionalProducer("judge-" + id);
                KafkaProducer<byte[], byte[]> zombie = transactionalProducer("zombie-" + id)) {
            judge.beginTransaction();
            judge.send(record(decision("chat", 1, Action.START, 0, 1.0, T0, "plan chat.yaml")));
            judge.send(record(decision("search", 1, Action.START, 0, 1.0, T0.plusSeconds(300), "plan all.yaml")));
            judge.send(record(decision("chat", 2, Action.PROMOTE, 1, 5.0, T0.plusSeconds(720),
                    "all guards within margins after 612 canary requests")));
            judge.commitTransaction();

            zombie.beginTransaction();
            zombie.send(record(decision("chat", 3, Action.COMPLETE, 4, 100.0, T0.plusSeconds(900), "ABORTED-TXN")));
            zombie.flush();
            zombie.abortTransaction();

            try (KafkaProducer<byte[], byte[]> plain = new KafkaProducer<>(producerProps(), new ByteArraySerializer(),
                    new ByteArraySerializer())) {
                plain.send(new ProducerRecord<>(topics.decisions(), bytes("chat"), bytes("{\"not\":\"a decision\"}"))).get();
            }

            DecisionRecord rollback = new DecisionRecord("chat", 3, Action.ROLLBACK, 1, 0.0, T0.plusSeconds(1500),
                    T0.plusSeconds(1500).plusMillis(350), Strategy.percentage(),
                    "error_rate: canary 4.1% vs baseline 1.0% (e-value 152 >= 100)",
                    List.of(new Evidence("error_rate", 0.010, 0.041, "e-value", 152.3, 100.0, 5400, 610),
                            new Evidence("latency_p95", 812.0, 905.0, "upper-confidence-bound", 0.08, 0.10, 5400, 610)));
            commit(judge, rollback);
        }
        // A transaction left open (its producer still alive) after everything above.
        KafkaProducer<byte[], byte[]> open = transactionalProducer("open-" + id);
        open.beginTransaction();
        open.send(record(decision("chat", 4, Action.COMPLETE, 2, 100.0, T0.plusSeconds(2000), "OPEN-TXN")));
        open.flush();
        openTransactions.add(open);
    }

    private final List<KafkaProducer<byte[], byte[]>> openTransactions = new ArrayList<>();

    @org.junit.jupiter.api.AfterEach
    void abortOpenTransactions() {
        for (KafkaProducer<byte[], byte[]> producer : openTransactions) {
            producer.abortTransaction();
            producer.close(Duration.ofSeconds(5));
        }
        openTransactions.clear();
    }

    static DecisionRecord decision(String release, long seq, Action action, int stage, double percent, Instant at,
            String reason) {
        return new DecisionRecord(release, seq, action, stage, percent, at, at.plusMillis(200), Strategy.percentage(),
                reason, List.of());
    }

    private ProducerRecord<byte[], byte[]> record(DecisionRecord decision) {
        return new ProducerRecord<>(topics.decisions(), bytes(decision.release()), Json.toBytes(decision));
    }

    private void commit(KafkaProducer<byte[], byte[]> producer, DecisionRecord decision) {
        producer.beginTransaction();
        producer.send(record(decision));
        producer.commitTransaction();
    }

    private static KafkaProducer<byte[], byte[]> transactionalProducer(String transactionalId) {
        Properties props = producerProps();
        props.setProperty(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
        producer.initTransactions();
        return producer;
    }

    private static Properties producerProps() {
        Properties props = KAFKA.broker().clientProperties();
        props.setProperty(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.setProperty(ProducerConfig.ACKS_CONFIG, "all");
        return props;
    }

    /** Committed records in offset order (one partition's order is all the tests compare). */
    private static List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>(KAFKA.broker().readCommitted(topic));
        records.sort(java.util.Comparator.comparingLong(ConsumerRecord::offset));
        return records;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
