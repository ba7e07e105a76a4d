package io.graylight.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.graylight.cli.GraylightCli;
import io.graylight.contracts.telemetry.TelemetryCodec;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SimulateCommandTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int simulate(String... args) {
        CommandLine cli = GraylightCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        String[] all = new String[args.length + 1];
        all[0] = "simulate";
        System.arraycopy(args, 0, all, 1, args.length);
        return cli.execute(all);
    }

    @Test
    void writesTheRequestedNumberOfRecordsAndASummary() throws IOException {
        Path file = dir.resolve("t.jsonl");
        int exit = simulate("--out", file.toString(), "--events", "2000", "--seed", "5", "--malformed", "0.05",
                "--duplicates", "0.02", "--release", "chat", "--release", "search", "--canary-percent", "25",
                "--fault", "error_rate=0.05@1m", "--start", "2027-01-01T00:00:00Z");
        assertThat(exit).as(err.toString()).isZero();
        List<String> lines = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
        assertThat(lines).hasSize(2000);
        assertThat(lines.get(0)).contains("\"timestamp\":\"2027-01-01T00:00:00Z\"");
        long valid = lines.stream().filter(l -> new TelemetryCodec().decode(l.getBytes(StandardCharsets.ISO_8859_1)).isValid()).count();
        assertThat(out.toString()).startsWith("simulate: 2000 records: ").contains(" malformed; event time 2027-01-01T00:00:00Z .. ");
        assertThat(valid).isBetween(1850L, 1950L);
    }

    @Test
    void equalOptionsGiveIdenticalFiles() throws IOException {
        Path a = dir.resolve("a.jsonl.gz");
        Path b = dir.resolve("b.jsonl.gz");
        assertThat(simulate("--out", a.toString(), "--duration", "2m", "--seed", "9")).isZero();
        assertThat(simulate("--out", b.toString(), "--duration", "2m", "--seed", "9")).isZero();
        assertThat(Files.readAllBytes(a)).isEqualTo(Files.readAllBytes(b));
    }

    @Test
    void badFaultIsRefusedWithTheReason() {
        assertThat(simulate("--out", dir.resolve("x.jsonl").toString(), "--fault", "latncy=2@5m")).isEqualTo(2);
        assertThat(err.toString()).contains("Invalid value for option '--fault'").contains("unknown kind 'latncy'");
        assertThat(Files.exists(dir.resolve("x.jsonl"))).isFalse();
    }

    @Test
    void conflictingOptionsAreRefused() {
        assertThat(simulate("--out", "x.jsonl", "--kafka", "localhost:9092")).isEqualTo(2);
        assertThat(err.toString()).contains("--out and --kafka are exclusive");
        assertThat(simulate("--realtime", "--start", "2026-12-01T10:00:00Z")).isEqualTo(2);
        assertThat(err.toString()).contains("--start cannot be combined with --realtime");
        assertThat(simulate("--canary-percent", "120")).isEqualTo(2);
        assertThat(err.toString()).contains("canary percent must be in [0, 100]");
        assertThat(simulate("--duration", "ten minutes")).isEqualTo(2);
        assertThat(err.toString()).contains("bad duration 'ten minutes'");
    }

    @Test
    void isRegisteredInTheGraylightCommand() {
        assertThat(GraylightCli.commandLine().getSubcommands()).containsKey("simulate");
    }
}
