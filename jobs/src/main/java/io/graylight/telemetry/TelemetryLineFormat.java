package io.graylight.telemetry;

import io.graylight.replay.ReplayProgress;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import javax.annotation.Nullable;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.reader.SimpleStreamFormat;
import org.apache.flink.connector.file.src.reader.StreamFormat;
import org.apache.flink.core.fs.FSDataInputStream;

/**
 * Reads telemetry JSON Lines files (gzip too: the file source decompresses {@code .gz}) for replay
 * and tests. Each line is parsed like a Kafka record; dead letters name the file and line.
 * Files are not split, so line numbers count from the start of the file.
 */
public final class TelemetryLineFormat extends SimpleStreamFormat<TelemetryRecord> {

    private static final long serialVersionUID = 1L;

    private final String origin;
    private final String progressId;

    /** @param progressId a {@link ReplayProgress} counter to advance per line, or null */
    public TelemetryLineFormat(String origin, String progressId) {
        this.origin = origin;
        this.progressId = progressId;
    }

    @Override
    public StreamFormat.Reader<TelemetryRecord> createReader(Configuration config, FSDataInputStream stream) {
        // Recorded files carry historical event times: the future-skew guard does not apply.
        return new LineReader(stream, new TelemetryParser(Duration.ZERO), origin, progressId);
    }

    @Override
    public TypeInformation<TelemetryRecord> getProducedType() {
        return TypeInformation.of(TelemetryRecord.class);
    }

    private static final class LineReader implements StreamFormat.Reader<TelemetryRecord> {
        private final InputStream in;
        private final TelemetryParser parser;
        private final String origin;
        private final String progressId;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream(512);
        private long lineNumber;

        LineReader(InputStream in, TelemetryParser parser, String origin, String progressId) {
            this.progressId = progressId;
            this.in = in.markSupported() ? in : new java.io.BufferedInputStream(in, 1 << 16);
            this.parser = parser;
            this.origin = origin;
        }

        @Nullable
        @Override
        public TelemetryRecord read() throws IOException {
            while (true) {
                byte[] bytes = nextLine();
                if (bytes == null) {
                    return null;
                }
                lineNumber++;
                ReplayProgress.advance(progressId);
                if (bytes.length > 0) {
                    return parser.parse(bytes, origin, lineNumber, Instant.now());
                }
            }
        }

        /** The next line's bytes without its terminator (bytes, so invalid UTF-8 reaches the validator intact). */
        private byte[] nextLine() throws IOException {
            line.reset();
            int b;
            while ((b = in.read()) != -1) {
                if (b == '\n') {
                    return trimCarriageReturn(line.toByteArray());
                }
                line.write(b);
            }
            return line.size() == 0 ? null : trimCarriageReturn(line.toByteArray());
        }

        private static byte[] trimCarriageReturn(byte[] bytes) {
            if (bytes.length > 0 && bytes[bytes.length - 1] == '\r') {
                return java.util.Arrays.copyOf(bytes, bytes.length - 1);
            }
            return bytes;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
