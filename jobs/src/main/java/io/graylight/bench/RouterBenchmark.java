package io.graylight.bench;

import io.graylight.contracts.decision.Action;
import io.graylight.contracts.decision.DecisionRecord;
import io.graylight.contracts.decision.Strategy;
import io.graylight.contracts.json.Json;
import io.graylight.embedded.EmbeddedKafka;
import io.graylight.router.control.DecisionBook;
import io.graylight.router.embedded.RouterStack;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The router's overhead and its decision propagation time, with wrk (Debian) on loopback:
 * throughput and p50/p99 latency of (a) a mock LLM upstream called directly, (b) the router in
 * front of two of them with telemetry to the in-JVM Kafka, (c) nginx (Debian) doing the same
 * sticky split with {@code split_clients}; each once flat out and once at a fixed rate (wrk's
 * {@code delay()} paces each connection), with the machine's CPU use. Then the time from a
 * decision's transaction commit to its taking effect in the router.
 */
@Command(name = "router", mixinStandardHelpOptions = true,
        description = "Router vs direct vs nginx: throughput, p50/p99, CPU; and decision propagation time (needs wrk, nginx).")
public final class RouterBenchmark implements Callable<Integer> {

    @Option(names = "--duration", defaultValue = "10", description = "Seconds per wrk run (default ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "--warmup", defaultValue = "30", description = "Seconds of warm-up load on the router (JIT), less on the others (default ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--connections", defaultValue = "32", description = "wrk connections for the flat-out runs (default ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = "--rate", defaultValue = "2000", description = "Target request rate of the paced runs (default ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--canary-percent", defaultValue = "10", description = "The split (default ${DEFAULT-VALUE}).")
    double canaryPercent;

    @Option(names = "--decisions", defaultValue = "30", description = "Decisions timed for propagation (default ${DEFAULT-VALUE}).")
    int decisions;

    record Result(String name, double requestsPerSecond, double p50Ms, double p99Ms, double cpuPercent, long errors) {}

    @Override
    public Integer call() throws Exception {
        for (String tool : List.of("wrk", "nginx")) {
            if (!onPath(tool)) {
                System.err.println("bench router: '" + tool + "' not found; install it: apt-get install -y wrk nginx");
                return 2;
            }
        }
        Path work = Files.createTempDirectory("graylight-bench-router");
        String prefix = "bench.graylight.";
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            kafka.createTopics(2, prefix + "telemetry");
            kafka.createTopics(1, true, prefix + "decisions", prefix + "targeting");
            try (RouterStack stack = RouterStack.start(kafka.bootstrapServers(), prefix, List.of("chat"), 0, 0, false, "bench");
                    KafkaProducer<byte[], byte[]> producer = transactional(kafka)) {
                long seq = 1;
                publish(producer, decision(seq++, canaryPercent));
                waitFor(() -> stack.router().book().entry("chat") != null);

                Path script = work.resolve("chat.lua");
                Files.writeString(script, luaScript(0));
                Path paced = work.resolve("paced.lua");
                int pacedConnections = 16;
                // each connection waits so that all together send about `rate` requests a second
                Files.writeString(paced, luaScript(Math.max(0, 1000.0 * pacedConnections / rate)));
                Process nginx = startNginx(work, stack.baseline().port(), stack.canary().port());
                try {
                    int nginxPort = nginxPort(work);
                    System.out.printf(Locale.ROOT, "wrk on loopback, %d s per run; the JVM (Kafka, router, mocks), nginx and wrk share %d cores%n",
                            seconds, Runtime.getRuntime().availableProcessors());
                    List<Result> results = new ArrayList<>();
                    String direct = stack.baseline().url();
                    String router = stack.routerUrl();
                    String viaNginx = "http://127.0.0.1:" + nginxPort;
                    // the JIT needs the router warm; on a starved CPU that takes a while
                    wrk("warm-up", router, script, connections, warmup);
                    wrk("warm-up", direct, script, connections, Math.max(1, warmup / 4));
                    wrk("warm-up", viaNginx, script, connections, Math.max(1, warmup / 4));
                    results.add(wrk("(a) mock direct, flat out", direct, script, connections, seconds));
                    results.add(wrk("(b) router + telemetry, flat out", router, script, connections, seconds));
                    results.add(wrk("(c) nginx split_clients, flat out", viaNginx, script, connections, seconds));
                    results.add(wrk("(a) mock direct, ~" + rate + "/s", direct, paced, pacedConnections, seconds));
                    results.add(wrk("(b) router + telemetry, ~" + rate + "/s", router, paced, pacedConnections, seconds));
                    results.add(wrk("(c) nginx split_clients, ~" + rate + "/s", viaNginx, paced, pacedConnections, seconds));

                    System.out.println();
                    System.out.printf(Locale.ROOT, "%-36s %10s %9s %9s %8s %7s%n", "", "req/s", "p50 ms", "p99 ms", "CPU %", "errors");
                    for (Result r : results) {
                        System.out.printf(Locale.ROOT, "%-36s %10.0f %9.3f %9.3f %8.0f %7d%n", r.name(), r.requestsPerSecond(), r.p50Ms(),
                                r.p99Ms(), r.cpuPercent(), r.errors());
                    }
                    Result directPaced = results.get(3);
                    Result routerPaced = results.get(4);
                    System.out.printf(Locale.ROOT, "%nrouter overhead at ~%.0f req/s: p50 +%.3f ms, p99 +%.3f ms (aim: p99 +1 ms at most)%n",
                            routerPaced.requestsPerSecond(), routerPaced.p50Ms() - directPaced.p50Ms(), routerPaced.p99Ms() - directPaced.p99Ms());
                    System.out.printf(Locale.ROOT, "router / nginx throughput: %.2f (aim: 0.5 at least)%n",
                            results.get(1).requestsPerSecond() / results.get(2).requestsPerSecond());
                    var telemetry = stack.router().telemetry();
                    waitFor(() -> telemetry.queued() == 0);
                    System.out.printf(Locale.ROOT, "telemetry: %d events published, %d sent to Kafka, %d dropped (buffer full), %d failed%n",
                            telemetry.published(), telemetry.sent(), telemetry.dropped(), telemetry.failed());
                } finally {
                    nginx.destroy();
                    nginx.waitFor(10, TimeUnit.SECONDS);
                }

                // decision propagation: from the commit of the decision's transaction to the router's book
                LinkedBlockingQueue<Long> applied = new LinkedBlockingQueue<>();
                DecisionBook book = stack.router().book();
                book.onApplied(entry -> applied.add(System.nanoTime()));
                List<Double> millis = new ArrayList<>();
                for (int i = 0; i < decisions; i++) {
                    publish(producer, decision(seq++, i % 2 == 0 ? 25.0 : canaryPercent));
                    long committed = System.nanoTime();
                    Long at = applied.poll(10, TimeUnit.SECONDS);
                    if (at == null) {
                        System.out.println("a decision did not arrive within 10 s");
                        return 1;
                    }
                    millis.add((at - committed) / 1e6);
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
        producer.send(new ProducerRecord<>("bench.graylight.decisions", decision.release().getBytes(StandardCharsets.UTF_8),
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

    private Process startNginx(Path work, int baselinePort, int canaryPort) throws IOException, InterruptedException {
        Files.createDirectories(work.resolve("logs"));
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
                  upstream canary { server 127.0.0.1:%3$d; keepalive 64; }
                  split_clients "chat:${http_x_graylight_user}" $cohort {
                    %4$s%% canary;
                    * baseline;
                  }
                  server {
                    listen 127.0.0.1:0;
                    location / {
                      proxy_pass http://$cohort;
                      proxy_http_version 1.1;
                      proxy_set_header Connection "";
                      proxy_buffering off;
                      add_header X-Graylight-Cohort $cohort;
                    }
                  }
                }
                """;
        // nginx cannot listen on port 0 and report it: take a free port first
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Files.writeString(work.resolve("port"), String.valueOf(port));
        String text = String.format(Locale.ROOT, conf, work, baselinePort, canaryPort,
                new java.math.BigDecimal(String.valueOf(canaryPercent)).stripTrailingZeros().toPlainString())
                .replace("listen 127.0.0.1:0;", "listen 127.0.0.1:" + port + ";");
        Path file = work.resolve("nginx.conf");
        Files.writeString(file, text);
        Process nginx = new ProcessBuilder("nginx", "-p", work.toString(), "-c", file.toString())
                .redirectErrorStream(true).redirectOutput(work.resolve("logs/nginx.out").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                return nginx;
            } catch (IOException e) {
                if (!nginx.isAlive()) {
                    throw new IOException("nginx did not start: " + Files.readString(work.resolve("logs/nginx.out")));
                }
                Thread.sleep(100);
            }
        }
        nginx.destroy();
        throw new IOException("nginx did not listen within 10 s");
    }

    private static int nginxPort(Path work) throws IOException {
        return Integer.parseInt(Files.readString(work.resolve("port")).strip());
    }

    private static final Pattern RATE = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern PERCENTILE = Pattern.compile("^\\s+(50|99)(?:\\.000)?%\\s+([0-9.]+)(us|ms|s)\\s*$", Pattern.MULTILINE);
    private static final Pattern ERRORS = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");
    private static final Pattern SOCKET_ERRORS = Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");

    private static Result wrk(String name, String url, Path script, int connections, int seconds) throws Exception {
        long[] before = cpuTicks();
        Process wrk = new ProcessBuilder("wrk", "-t2", "-c" + connections, "-d" + seconds + "s", "--latency", "-s", script.toString(), url)
                .redirectErrorStream(true).start();
        String out = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        wrk.waitFor();
        long[] after = cpuTicks();
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
        double busy = after[1] - before[1] == 0 ? 0 : 100.0 * Runtime.getRuntime().availableProcessors()
                * (after[0] - before[0]) / (after[1] - before[1]);
        Result result = new Result(name, Double.parseDouble(rate.group(1)), p50, p99, busy, errors);
        System.out.printf(Locale.ROOT, "%-36s %8.0f req/s  p50 %.3f ms  p99 %.3f ms  CPU %.0f %%%n", name, result.requestsPerSecond(),
                p50, p99, busy);
        return result;
    }

    /** Busy and total jiffies of all cores, from /proc/stat. */
    private static long[] cpuTicks() throws IOException {
        String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        long total = 0;
        for (int i = 1; i < f.length; i++) {
            total += Long.parseLong(f[i]);
        }
        long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
        return new long[] {total - idle, total};
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return Files.isExecutable(Path.of("/usr/sbin", tool));
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp dir left behind
        }
    }
}
