package io.graylight.contracts.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.graylight.contracts.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RolloutCommandsTest {

    static final Instant AT = Instant.parse("2026-12-01T10:00:00.250Z");
    static final String PLAN = "release: chat\nstages: [1, 5, 100]\n";
    static final UUID ID = UUID.fromString("6f1e2a4c-0b7d-4c8e-9a51-3d2f6e8b1c90");

    static RolloutCommand start() {
        return new RolloutCommand(ID, CommandType.START, "chat", PLAN, "rollouts/chat.yaml", "new prompt v2",
                "alice@ops", AT);
    }

    @Test
    void startRoundTripsThroughJson() {
        RolloutCommand command = start();
        DecodedCommand decoded = RolloutCommands.decode(RolloutCommands.encode(command));
        assertThat(decoded.isValid()).isTrue();
        assertThat(decoded.problem()).isNull();
        assertThat(decoded.command()).isEqualTo(command);
        assertThat(new String(RolloutCommands.key(command), StandardCharsets.UTF_8)).isEqualTo("chat");
    }

    @ParameterizedTest
    @EnumSource(value = CommandType.class, names = "START", mode = EnumSource.Mode.EXCLUDE)
    void operatorCommandsRoundTripAndLeaveOutThePlan(CommandType type) {
        RolloutCommand command = RolloutCommand.of(type, "chat", null, "bob", AT);
        String json = new String(RolloutCommands.encode(command), StandardCharsets.UTF_8);
        assertThat(json).doesNotContain("planYaml", "planSource", "reason")
                .contains("\"type\":\"" + type.name() + "\"", "\"issuedAt\":\"2026-12-01T10:00:00.250Z\"");
        assertThat(RolloutCommands.decode(json.getBytes(StandardCharsets.UTF_8)).command()).isEqualTo(command);
    }

    @Test
    void wireFormIsPlainJson() {
        assertThat(Json.toString(start())).isEqualTo("{\"commandId\":\"6f1e2a4c-0b7d-4c8e-9a51-3d2f6e8b1c90\","
                + "\"type\":\"START\",\"release\":\"chat\",\"planYaml\":\"release: chat\\nstages: [1, 5, 100]\\n\","
                + "\"planSource\":\"rollouts/chat.yaml\",\"reason\":\"new prompt v2\",\"issuedBy\":\"alice@ops\","
                + "\"issuedAt\":\"2026-12-01T10:00:00.250Z\"}");
    }

    @Test
    void unknownFieldsAreIgnored() {
        assertThat(decode(j -> j.put("priority", "high")).command()).isEqualTo(start());
    }

    @Test
    void decodeNamesTheProblem() {
        assertThat(problem(j -> j.remove("commandId"))).isEqualTo("missing field 'commandId'");
        assertThat(problem(j -> j.put("commandId", "42"))).isEqualTo("commandId '42' is not a UUID");
        assertThat(problem(j -> j.remove("type"))).isEqualTo("missing field 'type'");
        assertThat(problem(j -> j.put("type", "STOP")))
                .isEqualTo("unknown type 'STOP' (known: START, PAUSE, RESUME, ABORT, PROMOTE)");
        assertThat(problem(j -> j.put("type", "start")))
                .isEqualTo("unknown type 'start' (known: START, PAUSE, RESUME, ABORT, PROMOTE)");
        assertThat(problem(j -> j.remove("release"))).isEqualTo("missing field 'release'");
        assertThat(problem(j -> j.put("release", " "))).isEqualTo("field 'release' is blank");
        assertThat(problem(j -> j.put("release", 7))).isEqualTo("field 'release' must be a string, got number 7");
        assertThat(problem(j -> j.remove("planYaml"))).isEqualTo("START without a plan: planYaml is missing or blank");
        assertThat(problem(j -> j.put("planYaml", ""))).isEqualTo("START without a plan: planYaml is missing or blank");
        assertThat(problem(j -> j.put("type", "PAUSE")))
                .isEqualTo("PAUSE must not carry a plan (planYaml); only START does");
        assertThat(problem(j -> j.put("type", "ABORT").remove("planYaml")))
                .isEqualTo("ABORT must not carry planSource; only START does");
        assertThat(problem(j -> j.remove("issuedBy"))).isEqualTo("missing field 'issuedBy'");
        assertThat(problem(j -> j.remove("issuedAt"))).isEqualTo("missing field 'issuedAt'");
        assertThat(problem(j -> j.put("issuedAt", "yesterday")))
                .isEqualTo("issuedAt 'yesterday' is not an ISO-8601 UTC instant like 2026-12-01T10:00:00Z");
        assertThat(problem(j -> j.putArray("reason"))).isEqualTo("field 'reason' must be a string, got array []");
    }

    @Test
    void decodeRefusesWhatIsNotAnObject() {
        assertThat(RolloutCommands.decode(null).problem()).isEqualTo("empty record");
        assertThat(RolloutCommands.decode(new byte[0]).problem()).isEqualTo("empty record");
        assertThat(RolloutCommands.decode(bytes("   ")).problem()).isEqualTo("empty record");
        assertThat(RolloutCommands.decode(bytes("[1]")).problem()).isEqualTo("expected a JSON object, got array");
        assertThat(RolloutCommands.decode(bytes("{} {}")).problem()).isEqualTo("not valid JSON: more than one JSON value");
        assertThat(RolloutCommands.decode(bytes("{\"type\":")).problem()).startsWith("not valid JSON: ");
        assertThat(RolloutCommands.decode(new byte[] {(byte) 0xff, (byte) 0xfe, 0x01}).problem())
                .startsWith("not valid JSON: ");
        assertThat(RolloutCommands.decode(new byte[RolloutCommands.MAX_RECORD_BYTES + 1]).problem())
                .isEqualTo("record is 262145 bytes, above the limit of 262144");
    }

    @Test
    void constructorRefusesInconsistentCommands() {
        assertThatThrownBy(() -> RolloutCommand.of(CommandType.START, "chat", null, "bob", AT))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("START needs a plan (planYaml)");
        assertThatThrownBy(() -> new RolloutCommand(ID, CommandType.PAUSE, "chat", PLAN, null, null, "bob", AT))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("PAUSE must not carry a plan");
        assertThatThrownBy(() -> RolloutCommand.of(CommandType.PAUSE, " ", null, "bob", AT))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("release must not be blank");
    }

    private static DecodedCommand decode(Consumer<ObjectNode> edit) {
        ObjectNode json = Json.MAPPER.valueToTree(start());
        edit.accept(json);
        return RolloutCommands.decode(Json.toBytes(json));
    }

    private static String problem(Consumer<ObjectNode> edit) {
        DecodedCommand decoded = decode(edit);
        assertThat(decoded.command()).isNull();
        return decoded.problem();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
