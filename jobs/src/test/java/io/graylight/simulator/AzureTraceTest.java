package io.graylight.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class AzureTraceTest {

    private static final String HEADER = "TIMESTAMP,ContextTokens,GeneratedTokens\n";

    @Test
    void bundledTraceHasEveryRowOfTheDataset() {
        AzureTrace trace = AzureTrace.load();
        // The dataset README says 8,819 requests; the file has a header and no trailing newline.
        assertThat(trace.size()).isEqualTo(8_819);
        assertThat(trace.offsetNanos(0)).isZero();
        assertThat(trace.contextTokens(0)).isEqualTo(4808);
        assertThat(trace.generatedTokens(0)).isEqualTo(10);
        // 2023-11-16 18:17:04.0319600 - 18:17:03.9799600
        assertThat(trace.offset(1)).isEqualTo(Duration.ofNanos(52_000_000));
        // last row 19:14:19.9280160, so the trace spans 57 min 15.948056 s
        assertThat(trace.offset(trace.size() - 1)).isEqualTo(Duration.parse("PT57M15.948056S"));
        assertThat(trace.contextTokens(trace.size() - 1)).isEqualTo(549);
        assertThat(trace.generatedTokens(trace.size() - 1)).isEqualTo(173);
        for (int i = 1; i < trace.size(); i++) {
            assertThat(trace.offsetNanos(i)).isGreaterThanOrEqualTo(trace.offsetNanos(i - 1));
        }
    }

    @Test
    void attributionShipsWithTheData() {
        assertThat(AzureTrace.class.getResource("/data/azure-llm-2023/README.md")).isNotNull();
    }

    @Test
    void loopsHourly() {
        AzureTrace trace = AzureTrace.load();
        long hour = Duration.ofHours(1).toNanos();
        assertThat(trace.loopedOffsetNanos(trace.size())).isEqualTo(hour);
        assertThat(trace.loopedOffsetNanos(2L * trace.size() + 5)).isEqualTo(2 * hour + trace.offsetNanos(5));
        assertThat(trace.row(2L * trace.size() + 5)).isEqualTo(5);
    }

    @Test
    void parsesFractionsOfAnyLength() throws Exception {
        AzureTrace trace = AzureTrace.parse(new StringReader(HEADER
                + "2023-11-16 18:00:00,1,2\n"
                + "2023-11-16 18:00:00.5,3,4\n"
                + "2023-11-16 18:00:01.0000001,5,6\n"), "test.csv");
        assertThat(trace.size()).isEqualTo(3);
        assertThat(trace.offsetNanos(1)).isEqualTo(500_000_000L);
        assertThat(trace.offsetNanos(2)).isEqualTo(1_000_000_100L);
    }

    @Test
    void badRowsAreReportedWithTheirLine() {
        assertThatThrownBy(() -> AzureTrace.parse(new StringReader("a,b,c\n"), "t.csv"))
                .hasMessageContaining("t.csv:1").hasMessageContaining("header");
        assertThatThrownBy(() -> AzureTrace.parse(new StringReader(HEADER + "2023-11-16 18:00:00,1,2\n2023-11-16 18:00:01,1\n"), "t.csv"))
                .hasMessage("t.csv:3: expected 3 columns, got 2");
        assertThatThrownBy(() -> AzureTrace.parse(new StringReader(HEADER + "16/11/2023 18:00,1,2\n"), "t.csv"))
                .hasMessageContaining("t.csv:2: bad TIMESTAMP");
        assertThatThrownBy(() -> AzureTrace.parse(new StringReader(HEADER + "2023-11-16 18:00:00,-1,2\n"), "t.csv"))
                .hasMessageContaining("t.csv:2: ContextTokens must be a non-negative integer");
        assertThatThrownBy(() -> AzureTrace.parse(new StringReader(HEADER + "2023-11-16 18:00:01,1,2\n2023-11-16 18:00:00,1,2\n"), "t.csv"))
                .hasMessageContaining("t.csv:3").hasMessageContaining("before the previous row");
        assertThatThrownBy(() -> AzureTrace.parse(new StringReader(HEADER), "t.csv"))
                .hasMessageContaining("no rows");
    }
}
