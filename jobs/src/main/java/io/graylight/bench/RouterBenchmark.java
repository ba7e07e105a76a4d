package io.graylight.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.graylight.contracts.decision.Action;
import io.graylight.contracts.decision.DecisionRecord;
import io.graylight.contracts.decision.Strategy;
import io.graylight.contracts.json.Json;
import io.graylight.embedded.EmbeddedKafka;
import io.graylight.embedded.FreePorts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The router's overhead and its decision propagation time, with wrk (Debian) on loopback:
 * throughput and p50/p99 latency of (a) a mock LLM upstream called directly, (b) the router
 * ({@code scripts/router}, its own JVM) in front of it with telemetry to this JVM's Kafka, (c)
 * nginx (Debian) doing the same sticky split with {@code split_clients}; flat out and at a fixed
 * rate (wrk's {@code delay()} paces each connection), router and nginx taking turns in rounds,
 * with the machine's CPU use, the share the hypervisor took (steal) and the CPU per call of the
 * process under test. Then the time from a decision's transaction
 * commit to its taking effect in the router (its {@code /admin/state}).
 */
@Command(name = "router", mixinStandardHelpOptions = true,
        description = "Router vs direct vs nginx: throughput, p50/p99, CPU; and decision propagation time (needs wrk, nginx).")
public final class RouterBenchmark implements Callable<Integer> {

    @Option(names = "--duration", defaultValue = "10", description = "Seconds per wrk run (default ${DEFAULT-VALUE}).")
    int seconds;

    // Minutes, because a router lives for days: code that runs once per Kafka batch (50 a second)
    // reaches C2 only after 2-3 minutes, and after 60 s of load C2 still took 40-55 µs of CPU per
    // call during the paced runs.
    @Option(names = "--warmup", defaultValue = "180", description = "Seconds of warm-up load on the router (JIT), less on the others (default ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--connections", defaultValue = "32", description = "wrk connections for the flat-out runs (default ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = "--rate", defaultValue = "2000", description = "Target request rate of the paced runs (default ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--rounds", defaultValue = "5", description = "Rounds that count, of flat-out runs (router, nginx) and of paced runs (direct, router, nginx);"
            + " a round with a run over 10 %% steal is run again (default ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--canary-percent", defaultValue = "10", description = "The split (default ${DEFAULT-VALUE}).")
    double canaryPercent;

    @Option(names = "--decisions", defaultValue = "30", description = "Decisions timed for propagation (default ${DEFAULT-VALUE}).")
    int decisions;

    @Option(names = "--router-java-opts", description = "JVM options of the router process (default: GRAYLIGHT_ROUTER_JAVA_OPTS, else scripts/router's)")
    String routerJavaOpts;

    record Result(String name, double requestsPerSecond, double p50Ms, double p99Ms, double cpuPercent, double stealPercent,
            double proxyCpuMicrosPerCall, long errors) {}

    private static final String PREFIX = "bench.graylight.";
    /** Above this share of stolen time in one run, its round is measured again. */
    private static final double NOISY_STEAL_PERCENT = 10.0;
    private static final String ADMIN_TOKEN = "bench";

    @Override
    public Integer call() throws Exception {
        for (String tool : List.of("wrk", "nginx")) {
            if (!onPath(tool)) {
                System.err.println("bench router: '" + tool + "' not found; install it: apt-get install -y wrk nginx");
                return 2;
            }
        }
        Path home = Path.of(System.getProperty("graylight.home", "."));
        Path work = Files.createTempDirectory("graylight-bench-router");
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            kafka.createTopics(2, PREFIX + "telemetry");
            kafka.createTopics(1, true, PREFIX + "decisions", PREFIX + "targeting");
            // the mock and the router each run in their own JVM, as deployed: the broker's
            // garbage collections in this JVM must not show up as router latency
            try (ChildProcess mock = ChildProcess.start(work, "mock-llm", MOCK_LISTENING, Map.of("GRAYLIGHT_HEAP", "512m"),
                        home.resolve("scripts/graylight").toString(), "mock-llm", "--port", "0", "--ttft-ms", "0", "--per-token-ms", "0");
                    ChildProcess router = startRouter(home, work, kafka.bootstrapServers(), mock.port());
                    KafkaProducer<byte[], byte[]> producer = transactional(kafka)) {
                backgroundThisJvm();
                AdminState admin = new AdminState(router.port());
                long seq = 1;
                publish(producer, decision(seq++, canaryPercent));
                if (!admin.awaitSeq(seq - 1, Duration.ofSeconds(60))) {
                    System.out.println("the router did not apply the first decision within 60 s (see " + router.log() + ")");
                    return 1;
                }

                Path script = work.resolve("chat.lua");
                Files.writeString(script, luaScript(0));
                Path paced = work.resolve("paced.lua");
                int pacedConnections = 20;
                // each connection waits between its calls so that, with ~0.5 ms per call, all of them
                // together send about `rate` calls a second (wrk has no fixed-rate mode)
                Files.writeString(paced, luaScript(Math.max(0, 1000.0 * pacedConnections / rate - 0.5)));
                try (ChildProcess nginx = startNginx(work, mock.port())) {
                    System.out.printf(Locale.ROOT, "wrk on loopback, %d s per run; wrk, nginx and the JVMs of the router and the mock"
                                    + " share %d cores with this JVM's Kafka broker (at nice 10)%n", seconds, Runtime.getRuntime().availableProcessors());
                    List<Result> results = new ArrayList<>();
                    String direct = "http://127.0.0.1:" + mock.port();
                    String viaRouter = "http://127.0.0.1:" + router.port();
                    String viaNginx = "http://127.0.0.1:" + nginx.port();
                    // the JIT needs the router warm; on a starved CPU that takes a while
                    wrk("warm-up", viaRouter, script, connections, warmup, router);
                    wrk("warm-up", direct, script, connections, Math.max(1, warmup / 4), mock);
                    wrk("warm-up", viaNginx, script, connections, Math.max(1, warmup / 4), nginx);
                    results.add(wrk("(a) mock direct, flat out", direct, script, connections, seconds, mock));
                    // router and nginx take turns, several rounds: on a shared machine one 10 s run moves
                    // with whatever else ran in it, so each figure is a round's ratio or difference
                    List<Result[]> flatRounds = rounds("flat-out", results, round -> new Result[] {
                        wrk("(b) router + telemetry, flat out #" + round, viaRouter, script, connections, seconds, router),
                        wrk("(c) nginx split_clients, flat out #" + round, viaNginx, script, connections, seconds, nginx)});
                    String suffix = ", ~" + rate + "/s #";
                    List<Result[]> pacedRounds = rounds("paced", results, round -> new Result[] {
                        wrk("(a) mock direct" + suffix + round, direct, paced, pacedConnections, seconds, mock),
                        wrk("(b) router + telemetry" + suffix + round, viaRouter, paced, pacedConnections, seconds, router),
                        wrk("(c) nginx split_clients" + suffix + round, viaNginx, paced, pacedConnections, seconds, nginx)});

                    System.out.println();
                    System.out.printf(Locale.ROOT, "%-40s %9s %8s %8s %7s %7s %12s %7s%n", "", "req/s", "p50 ms", "p99 ms", "CPU %",
                            "steal %", "µs CPU/call", "errors");
                    for (Result r : results) {
                        System.out.printf(Locale.ROOT, "%-40s %9.0f %8.3f %8.3f %7.0f %7.1f %12.0f %7d%n", r.name(), r.requestsPerSecond(),
                                r.p50Ms(), r.p99Ms(), r.cpuPercent(), r.stealPercent(), r.proxyCpuMicrosPerCall(), r.errors());
                    }
                    System.out.println("(CPU %: of the whole machine, 100 per core; steal %: of the machine's time, taken by the hypervisor"
                            + " for other guests; µs CPU/call: of the process under test alone: the mock, the router, nginx's master and workers)");
                    System.out.println();
                    for (Result[] r : pacedRounds) {
                        System.out.printf(Locale.ROOT, "counted round at ~%.0f req/s: router adds p50 %+.3f ms, p99 %+.3f ms; nginx adds p50 %+.3f ms, p99 %+.3f ms%n",
                                r[1].requestsPerSecond(), r[1].p50Ms() - r[0].p50Ms(), r[1].p99Ms() - r[0].p99Ms(),
                                r[2].p50Ms() - r[0].p50Ms(), r[2].p99Ms() - r[0].p99Ms());
                    }
                    System.out.printf(Locale.ROOT, "router overhead, median of %d counted rounds: p50 %+.3f ms, p99 %+.3f ms (aim: p99 +1 ms at most);"
                                    + " nginx's: p50 %+.3f ms, p99 %+.3f ms; router's p99 above nginx's: %+.3f ms%n", rounds,
                            median(pacedRounds, r -> r[1].p50Ms() - r[0].p50Ms()), median(pacedRounds, r -> r[1].p99Ms() - r[0].p99Ms()),
                            median(pacedRounds, r -> r[2].p50Ms() - r[0].p50Ms()), median(pacedRounds, r -> r[2].p99Ms() - r[0].p99Ms()),
                            median(pacedRounds, r -> r[1].p99Ms() - r[2].p99Ms()));
                    ToDoubleFunction<Result[]> throughputRatio = r -> r[0].requestsPerSecond() / r[1].requestsPerSecond();
                    String ratios = flatRounds.stream().map(r -> String.format(Locale.ROOT, "%.2f", throughputRatio.applyAsDouble(r)))
                            .collect(Collectors.joining(", "));
                    System.out.printf(Locale.ROOT, "router / nginx throughput, flat out: %s by counted round; median %.2f (aim: 0.5 at least)%n", ratios,
                            median(flatRounds, throughputRatio));
                    System.out.printf(Locale.ROOT, "hypervisor steal over the measured runs: %.1f %% of the machine's time (max %.1f %% in one run)%n",
                            results.stream().mapToDouble(Result::stealPercent).average().orElse(0),
                            results.stream().mapToDouble(Result::stealPercent).max().orElse(0));
                    JsonNode telemetry = admin.awaitTelemetryFlushed(Duration.ofSeconds(60));
                    System.out.printf(Locale.ROOT, "telemetry: %d events published, %d sent to Kafka, %d dropped (buffer full), %d failed%n",
                            telemetry.path("published").asLong(), telemetry.path("sent").asLong(), telemetry.path("dropped").asLong(),
                            telemetry.path("failed").asLong());
                }

                // decision propagation: from the commit of the decision's transaction to the router's
                // appliedAt (both clocks are this machine's)
                List<Double> millis = new ArrayList<>();
                for (int i = 0; i < decisions; i++) {
                    publish(producer, decision(seq, i % 2 == 0 ? 25.0 : canaryPercent));
                    Instant committed = Instant.now();
                    if (!admin.awaitSeq(seq, Duration.ofSeconds(10))) {
                        System.out.println("a decision did not arrive within 10 s");
                        return 1;
                    }
                    millis.add(Duration.between(committed, admin.appliedAt()).toNanos() / 1e6);
                    seq++;
                }
                Collections.sort(millis);
                System.out.printf(Locale.ROOT, "decision propagation (commit -> in effect), %d decisions: median %.1f ms, p90 %.1f ms, max %.1f ms (aim: 100 ms)%n",
                        millis.size(), millis.get(millis.size() / 2), millis.get((int) (millis.size() * 0.9)), millis.get(millis.size() - 1));
            }
        } finally {
            deleteQuietly(work);
        }
        return 0;
    }

    private static final Pattern MOCK_LISTENING = Pattern.compile("listening on [^:]+:(\\d+)");
    private static final Pattern ROUTER_LISTENING = Pattern.compile("router listening on port (\\d+)");

    /** The router as its own process, through {@code scripts/router}, in front of the mock for both cohorts. */
    private ChildProcess startRouter(Path home, Path work, String bootstrap, int mockPort) throws IOException, InterruptedException {
        String mock = "http://127.0.0.1:" + mockPort;
        String config = """
                listen: {host: 127.0.0.1, port: 0}
                kafka: {bootstrapServers: "%1$s", topicPrefix: %2$s}
                admin: {token: %3$s}
                releases:
                  - name: chat
                    match: {}
                    baseline: {url: "%4$s", version: v1, inputPricePer1k: 0.0005, outputPricePer1k: 0.0015}
                    canary: {url: "%4$s", version: v2, inputPricePer1k: 0.0005, outputPricePer1k: 0.0015}
                """.formatted(bootstrap, PREFIX, ADMIN_TOKEN, mock);
        Path file = work.resolve("router.yaml");
        Files.writeString(file, config);
        Map<String, String> env = new java.util.HashMap<>();
        if (routerJavaOpts != null) {
            env.put("GRAYLIGHT_ROUTER_JAVA_OPTS", routerJavaOpts);
        }
        return ChildProcess.start(work, "router", ROUTER_LISTENING, env, home.resolve("scripts/router").toString(), "--config",
                file.toString());
    }

    /**
     * The router's {@code /admin/state}: which decision of release {@code chat} is in effect and
     * since when, and the telemetry counters.
     */
    private static final class AdminState {
        private final HttpClient http = HttpClient.newHttpClient();
        private final HttpRequest request;
        private JsonNode last;

        AdminState(int port) {
            request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/admin/state"))
                    .header("Authorization", "Bearer " + ADMIN_TOKEN).build();
        }

        JsonNode fetch() throws IOException, InterruptedException {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IOException("/admin/state answered " + response.statusCode() + ": " + response.body());
            }
            last = Json.MAPPER.readTree(response.body());
            return last;
        }

        /** Polls (every millisecond: the router is otherwise idle now) until decision {@code seq} is in effect. */
        boolean awaitSeq(long seq, Duration timeout) throws IOException, InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                if (fetch().path("releases").path("chat").path("decision").path("seq").asLong(-1) >= seq) {
                    return true;
                }
                Thread.sleep(1);
            }
            return false;
        }

        Instant appliedAt() {
            return Instant.parse(last.path("releases").path("chat").path("appliedAt").asText());
        }

        JsonNode awaitTelemetryFlushed(Duration timeout) throws IOException, InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            JsonNode telemetry = fetch().path("telemetry");
            while (telemetry.path("queued").asLong() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(50);
                telemetry = fetch().path("telemetry");
            }
            return telemetry;
        }
    }

    /**
     * The broker in this JVM stands in for a remote Kafka cluster, which would not run on the
     * cores of the paths measured: its threads (all of this JVM's but this one, which starts wrk)
     * run at nice 10, so its busy moments and collections do not stall the router, the mock,
     * nginx or wrk. Threads it starts later inherit that. The children already started keep
     * nice 0. Best effort: without {@code renice} the run goes on as it is.
     */
    private static void backgroundThisJvm() {
        try {
            String self = Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString();
            List<String> command = new ArrayList<>(List.of("renice", "-n", "10", "-p"));
            try (var tasks = Files.list(Path.of("/proc/self/task"))) {
                tasks.map(t -> t.getFileName().toString()).filter(tid -> !tid.equals(self)).forEach(command::add);
            }
            Process renice = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!renice.waitFor(10, TimeUnit.SECONDS) || renice.exitValue() != 0) {
                System.out.println("(could not lower the broker's priority: its work may show in the figures)");
            }
        } catch (IOException e) {
            System.out.println("(could not lower the broker's priority: " + e.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One round of runs that take turns; its number is given. */
    private interface Round {
        Result[] run(int round) throws Exception;
    }

    /**
     * {@link #rounds} rounds that count. A round in which the hypervisor took more than
     * {@value #NOISY_STEAL_PERCENT} % of the machine's time in any run (another guest was busy:
     * its stalls land on whichever run is under way, not on one target) is listed but run again,
     * at most {@link #rounds} times in all.
     */
    private List<Result[]> rounds(String what, List<Result> results, Round round) throws Exception {
        List<Result[]> counted = new ArrayList<>();
        int repeated = 0;
        for (int n = 1; counted.size() < rounds; n++) {
            Result[] r = round.run(n);
            results.addAll(List.of(r));
            double steal = Arrays.stream(r).mapToDouble(Result::stealPercent).max().orElse(0);
            if (steal > NOISY_STEAL_PERCENT && repeated < rounds) {
                repeated++;
                System.out.printf(Locale.ROOT, "(%s round #%d not counted: the hypervisor took %.1f %% of the machine in one of its runs)%n",
                        what, n, steal);
                continue;
            }
            if (steal > NOISY_STEAL_PERCENT) {
                System.out.printf(Locale.ROOT, "(%s round #%d counted although the hypervisor took %.1f %% in one of its runs: no re-runs left)%n",
                        what, n, steal);
            }
            counted.add(r);
        }
        return counted;
    }

    private static double median(List<Result[]> rounds, ToDoubleFunction<Result[]> value) {
        double[] values = rounds.stream().mapToDouble(value).sorted().toArray();
        int n = values.length;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }

    private static DecisionRecord decision(long seq, double percent) {
        Instant now = Instant.now();
        return new DecisionRecord("chat", seq, Action.PROMOTE, 1, percent, now, now, Strategy.percentage(), "bench", List.of());
    }

    private static KafkaProducer<byte[], byte[]> transactional(EmbeddedKafka kafka) {
        Properties props = kafka.clientProperties();
        props.setProperty(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "graylight-bench-router");
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
        producer.initTransactions();
        return producer;
    }

    private static void publish(KafkaProducer<byte[], byte[]> producer, DecisionRecord decision) {
        producer.beginTransaction();
        producer.send(new ProducerRecord<>(PREFIX + "decisions", decision.release().getBytes(StandardCharsets.UTF_8),
                Json.toBytes(decision)));
        producer.commitTransaction();
    }

    /** A wrk script: a small chat completion per request, a random user of 100,000; {@code delayMs} between requests of a connection. */
    private static String luaScript(double delayMs) {
        return """
                wrk.method = "POST"
                wrk.headers["Content-Type"] = "application/json"
                wrk.body = '{"model":"gpt-test","messages":[{"role":"user","content":"hello"}],"max_tokens":8}'
                request = function()
                  wrk.headers["X-Graylight-User"] = "user-" .. math.random(1, 100000)
                  return wrk.format(nil, "/v1/chat/completions")
                end
                """ + (delayMs > 0 ? String.format(Locale.ROOT, "delay = function() return %.3f end%n", delayMs) : "");
    }

    /** nginx (Debian) doing the router's sticky split with {@code split_clients}, both cohorts to the mock. */
    private ChildProcess startNginx(Path work, int mockPort) throws IOException, InterruptedException {
        // nginx cannot listen on port 0 and report it: take a free port first
        int port = FreePorts.next();
        String conf = """
                worker_processes 2;
                daemon off;
                pid %1$s/nginx.pid;
                error_log %1$s/logs/error.log warn;
                events { worker_connections 4096; }
                http {
                  access_log off;
                  client_body_temp_path %1$s/body;
                  proxy_temp_path %1$s/proxy;
                  fastcgi_temp_path %1$s/fastcgi;
                  uwsgi_temp_path %1$s/uwsgi;
                  scgi_temp_path %1$s/scgi;
                  upstream baseline { server 127.0.0.1:%2$d; keepalive 64; }
                  upstream canary { server 127.0.0.1:%2$d; keepalive 64; }
                  split_clients "chat:${http_x_graylight_user}" $cohort {
                    %3$s%% canary;
                    * baseline;
                  }
                  server {
                    listen 127.0.0.1:%4$d;
                    location / {
                      proxy_pass http://$cohort;
                      proxy_http_version 1.1;
                      proxy_set_header Connection "";
                      proxy_buffering off;
                      add_header X-Graylight-Cohort $cohort;
                    }
                  }
                }
                """.formatted(work, mockPort, new java.math.BigDecimal(String.valueOf(canaryPercent)).stripTrailingZeros().toPlainString(),
                port);
        Path file = work.resolve("nginx.conf");
        Files.writeString(file, conf);
        // its error_log goes to <work>/logs, which ChildProcess creates for the output logs
        ChildProcess nginx = ChildProcess.start(work, "nginx", null, Map.of(), "nginx", "-p", work.toString(), "-c", file.toString());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                return nginx.listeningOn(port);
            } catch (IOException e) {
                if (!nginx.alive()) {
                    nginx.close();
                    throw new IOException("nginx did not start: " + Files.readString(nginx.log()));
                }
                Thread.sleep(100);
            }
        }
        nginx.close();
        throw new IOException("nginx did not listen within 10 s");
    }

    private static final Pattern RATE = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern PERCENTILE = Pattern.compile("^\\s+(50|99)(?:\\.000)?%\\s+([0-9.]+)(us|ms|s)\\s*$", Pattern.MULTILINE);
    private static final Pattern ERRORS = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");
    private static final Pattern SOCKET_ERRORS = Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");

    private static Result wrk(String name, String url, Path script, int connections, int seconds, ChildProcess underTest)
            throws Exception {
        long[] before = cpuTicks();
        long processBefore = underTest.cpuTicks();
        Process wrk = new ProcessBuilder("wrk", "-t2", "-c" + connections, "-d" + seconds + "s", "--latency", "-s", script.toString(), url)
                .redirectErrorStream(true).start();
        String out = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        wrk.waitFor();
        long[] after = cpuTicks();
        long processTicks = underTest.cpuTicks() - processBefore;
        if (name.equals("warm-up")) {
            return null;
        }
        Matcher rate = RATE.matcher(out);
        if (!rate.find()) {
            throw new IOException("cannot read wrk's output:\n" + out);
        }
        double p50 = Double.NaN;
        double p99 = Double.NaN;
        Matcher p = PERCENTILE.matcher(out);
        while (p.find()) {
            double value = Double.parseDouble(p.group(2)) * switch (p.group(3)) {
                case "us" -> 0.001;
                case "ms" -> 1.0;
                default -> 1000.0;
            };
            if (p.group(1).equals("50")) {
                p50 = value;
            } else {
                p99 = value;
            }
        }
        long errors = 0;
        Matcher e = ERRORS.matcher(out);
        if (e.find()) {
            errors += Long.parseLong(e.group(1));
        }
        Matcher s = SOCKET_ERRORS.matcher(out);
        if (s.find()) {
            for (int i = 1; i <= 4; i++) {
                errors += Long.parseLong(s.group(i));
            }
        }
        long total = after[1] - before[1];
        double busy = total == 0 ? 0 : 100.0 * Runtime.getRuntime().availableProcessors() * (after[0] - before[0]) / total;
        double steal = total == 0 ? 0 : 100.0 * (after[2] - before[2]) / total;
        double requestsPerSecond = Double.parseDouble(rate.group(1));
        double microsPerCall = 1e6 * processTicks / (double) ChildProcess.CLOCK_TICKS_PER_SECOND / Math.max(1, requestsPerSecond * seconds);
        Result result = new Result(name, requestsPerSecond, p50, p99, busy, steal, microsPerCall, errors);
        System.out.printf(Locale.ROOT, "%-40s %8.0f req/s  p50 %.3f ms  p99 %.3f ms  CPU %.0f %% (steal %.1f %%), %.0f µs/call%n", name,
                result.requestsPerSecond(), p50, p99, busy, steal, microsPerCall);
        return result;
    }

    /** Busy (ours), total and stolen jiffies of all cores, from /proc/stat (user nice system idle iowait irq softirq steal ...). */
    private static long[] cpuTicks() throws IOException {
        String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        long total = 0;
        for (int i = 1; i <= 8; i++) { // guest time, after steal, is counted in user time already
            total += Long.parseLong(f[i]);
        }
        long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
        long steal = Long.parseLong(f[8]);
        return new long[] {total - idle - steal, total, steal};
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return Files.isExecutable(Path.of("/usr/sbin", tool));
    }

    private static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp dir left behind
        }
    }
}
