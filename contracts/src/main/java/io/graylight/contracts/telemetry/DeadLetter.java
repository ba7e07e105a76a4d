package io.graylight.contracts.telemetry;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;

/**
 * A telemetry record that could not be used, as written to {@code graylight.telemetry.dlq}:
 * why, where it came from (topic-partition and offset, or file and line), and a safe prefix of
 * its bytes, so that nothing is lost silently and a producer can find and fix the record.
 *
 * @param reason one line: the first problem found
 * @param field the offending field, or null for whole-record problems
 * @param origin {@code topic-partition} for Kafka, {@code file:path} for files, or another source name
 * @param offset the Kafka offset or the 1-based line number; -1 when unknown
 * @param rawBytes the record's full size in bytes
 * @param raw the first {@link #RAW_PREFIX_BYTES} bytes, as text if they are UTF-8, else base64
 * @param rawEncoding {@code utf-8} or {@code base64}
 * @param rawTruncated whether {@code raw} is only a prefix
 * @param eventTime the event time if the record had a readable one, else the source timestamp
 * @param receivedAt when Graylight saw the record
 */
public record DeadLetter(
        String reason,
        String field,
        String origin,
        long offset,
        int rawBytes,
        String raw,
        String rawEncoding,
        boolean rawTruncated,
        Instant eventTime,
        Instant receivedAt) {

    public static final int RAW_PREFIX_BYTES = 1024;

    public static DeadLetter of(ValidationProblem problem, byte[] raw, String origin, long offset,
                                Instant eventTime, Instant receivedAt) {
        byte[] safe = raw == null ? new byte[0] : raw;
        byte[] prefix = safe.length <= RAW_PREFIX_BYTES ? safe : Arrays.copyOf(safe, RAW_PREFIX_BYTES);
        String text = utf8OrNull(prefix, prefix.length < safe.length);
        return new DeadLetter(
                problem.message(), problem.field(), origin, offset, safe.length,
                text != null ? text : Base64.getEncoder().encodeToString(prefix),
                text != null ? "utf-8" : "base64",
                prefix.length < safe.length, eventTime, receivedAt);
    }

    /** Strict UTF-8 decoding; a prefix may end inside a multi-byte character, so trim a partial tail. */
    private static String utf8OrNull(byte[] bytes, boolean truncated) {
        int length = truncated ? completeCharacters(bytes) : bytes.length;
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 0, length))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** The length without a multi-byte character cut short at the end; a complete one stays. */
    private static int completeCharacters(byte[] bytes) {
        int lead = bytes.length - 1;
        while (lead >= 0 && bytes.length - lead < 4 && (bytes[lead] & 0xC0) == 0x80) {
            lead--; // step back over continuation bytes (10xxxxxx) to the lead byte
        }
        if (lead < 0) {
            return bytes.length;
        }
        int b = bytes[lead] & 0xFF;
        // bytes that can never start a character count as 1, so the decoder still sees them
        int expected = b >= 0xF5 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC2 ? 2 : 1;
        return bytes.length - lead < expected ? lead : bytes.length;
    }
}
