package io.graylight.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonLinesSinkTest {

    @TempDir
    Path dir;

    private static List<SimulatedRecord> sample() {
        SimulationConfig config = SimulationConfig.builder().seed(2).duration(null).maxEvents(3_000L)
                .duplicateRate(0.02).malformedRate(0.05).build();
        return SimulatorTesting.run(config);
    }

    @Test
    void writesOneRecordPerLine() throws IOException {
        assertRoundTrip(dir.resolve("telemetry.jsonl"), false);
    }

    @Test
    void compressesWhenTheNameEndsInGz() throws IOException {
        Path file = dir.resolve("nested/telemetry.jsonl.gz");
        assertRoundTrip(file, true);
        byte[] head = Files.readAllBytes(file);
        assertThat(head[0] & 0xff).isEqualTo(0x1f);
        assertThat(head[1] & 0xff).isEqualTo(0x8b);
    }

    @Test
    void streamSinkFlushesButDoesNotCloseTheStream() throws IOException {
        ByteArrayOutputStream stream = new ByteArrayOutputStream() {
            @Override
            public void close() {
                throw new AssertionError("the caller's stream must stay open");
            }
        };
        List<SimulatedRecord> records = sample().subList(0, 10);
        try (JsonLinesSink sink = JsonLinesSink.toStream(stream, true)) {
            sink.write(records.get(0));
            // flushEachRecord: visible before close
            assertThat(stream.toString(StandardCharsets.UTF_8)).isEqualTo(records.get(0).text() + "\n");
            for (SimulatedRecord record : records.subList(1, records.size())) {
                sink.write(record);
            }
        }
        assertThat(stream.toString(StandardCharsets.UTF_8).split("\n")).hasSize(10);
    }

    private void assertRoundTrip(Path file, boolean gzip) throws IOException {
        List<SimulatedRecord> records = sample();
        try (JsonLinesSink sink = JsonLinesSink.toFile(file)) {
            for (SimulatedRecord record : records) {
                sink.write(record);
            }
        }
        List<String> lines = new ArrayList<>();
        try (InputStream raw = Files.newInputStream(file);
             InputStream in = gzip ? new GZIPInputStream(raw) : raw;
             BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.ISO_8859_1))) {
            // ISO-8859-1 maps bytes one to one, so even binary garbage compares exactly
            reader.lines().forEach(lines::add);
        }
        assertThat(lines).hasSize(records.size());
        for (int i = 0; i < records.size(); i++) {
            assertThat(lines.get(i).getBytes(StandardCharsets.ISO_8859_1)).isEqualTo(records.get(i).bytes());
        }
    }
}
