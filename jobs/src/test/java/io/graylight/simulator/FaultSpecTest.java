package io.graylight.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class FaultSpecTest {

    @Test
    void parsesTheCompactForm() {
        assertThat(Fault.parse("error_rate=0.05@10m"))
                .isEqualTo(new Fault(Fault.Kind.ERROR_RATE, 0.05, Duration.ofMinutes(10), Fault.Target.CANARY));
        assertThat(Fault.parse("latency=1.8@5m"))
                .isEqualTo(new Fault(Fault.Kind.LATENCY, 1.8, Duration.ofMinutes(5), Fault.Target.CANARY));
        assertThat(Fault.parse("silence@2m"))
                .isEqualTo(new Fault(Fault.Kind.SILENCE, 1.0, Duration.ofMinutes(2), Fault.Target.CANARY));
        assertThat(Fault.parse("error_rate=0.08@3m:both"))
                .isEqualTo(new Fault(Fault.Kind.ERROR_RATE, 0.08, Duration.ofMinutes(3), Fault.Target.BOTH));
        assertThat(Fault.parse("tail_stalls=0.01@90s").start()).isEqualTo(Duration.ofSeconds(90));
        assertThat(Fault.parse("ttft=3@1h").start()).isEqualTo(Duration.ofHours(1));
        assertThat(Fault.parse("cost:canary").target()).isEqualTo(Fault.Target.CANARY);
    }

    @Test
    void magnitudeAndStartHaveDefaults() {
        Fault fault = Fault.parse("quality_drop");
        assertThat(fault.magnitude()).isEqualTo(Fault.Kind.QUALITY_DROP.defaultMagnitude());
        assertThat(fault.start()).isZero();
        assertThat(fault.target()).isEqualTo(Fault.Target.CANARY);
    }

    @Test
    void specRoundTrips() {
        for (String spec : new String[] {"error_rate=0.05@10m", "latency=1.8@1h30m:both", "silence@2m", "negative_feedback=0.3@0s"}) {
            Fault fault = Fault.parse(spec);
            assertThat(Fault.parse(fault.spec())).isEqualTo(fault);
        }
    }

    @Test
    void badSpecsNameTheProblem() {
        assertThatThrownBy(() -> Fault.parse("latncy=2"))
                .hasMessage("bad fault 'latncy=2': unknown kind 'latncy'; expected one of error_rate, latency, "
                        + "tail_stalls, ttft, quality_drop, negative_feedback, cost, silence");
        assertThatThrownBy(() -> Fault.parse("error_rate=lots@1m"))
                .hasMessage("bad fault 'error_rate=lots@1m': magnitude 'lots' is not a number");
        assertThatThrownBy(() -> Fault.parse("error_rate=1.5"))
                .hasMessage("bad fault 'error_rate=1.5': magnitude 1.5 is out of range; expected an extra error probability in [0, 1]");
        assertThatThrownBy(() -> Fault.parse("latency=0@1m"))
                .hasMessageContaining("expected a latency multiplier > 0");
        assertThatThrownBy(() -> Fault.parse("latency=-2"))
                .hasMessageContaining("out of range");
        assertThatThrownBy(() -> Fault.parse("error_rate=0.05@10 minutes"))
                .hasMessageContaining("bad fault 'error_rate=0.05@10 minutes': start: bad duration '10 minutes'");
        assertThatThrownBy(() -> Fault.parse("error_rate=0.05@10m:all"))
                .hasMessage("bad fault 'error_rate=0.05@10m:all': unknown target 'all'; expected both or canary");
        assertThatThrownBy(() -> Fault.parse("silence=0.5@2m"))
                .hasMessageContaining("silence takes no magnitude");
        assertThatThrownBy(() -> Fault.parse("  ")).hasMessageContaining("empty fault");
    }

    @Test
    void durationsParseAndFormat() {
        assertThat(Durations.parse("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(Durations.parse("10m")).isEqualTo(Duration.ofMinutes(10));
        assertThat(Durations.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(Durations.parse("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(Durations.parse("2d")).isEqualTo(Duration.ofDays(2));
        assertThat(Durations.parse("0")).isZero();
        assertThat(Durations.format(Duration.ofSeconds(3723))).isEqualTo("1h2m3s");
        assertThat(Durations.format(Duration.ofMillis(250))).isEqualTo("250ms");
        assertThat(Durations.format(Duration.ZERO)).isEqualTo("0s");
        assertThatThrownBy(() -> Durations.parse("10")).hasMessageContaining("bad duration '10'");
        assertThatThrownBy(() -> Durations.parse("1.5h")).hasMessageContaining("bad duration");
        assertThatThrownBy(() -> Durations.parse("-5m")).hasMessageContaining("bad duration");
        assertThatThrownBy(() -> Durations.parse("99999999999999999999d")).hasMessageContaining("too long");
    }
}
