package io.graylight.elasticsearch;

import io.graylight.contracts.telemetry.DeadLetter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Dead letters of one minute (of their event time), release and reason: the document of the
 * {@code graylight-dlq-*} family. The reason is the dead letter's reason without the offending
 * value ({@code latencyMs: must be >= 0}), so one broken producer is one row, not one per value.
 *
 * @param minute the minute the dead letters' event time falls in
 * @param release the release named in the record, or {@value #UNKNOWN_RELEASE} when it has none
 * @param count dead letters so far in this minute for this release and reason
 */
public record DlqSummary(Instant minute, String release, String reason, long count) {

    public static final String UNKNOWN_RELEASE = "unknown";
    private static final int MAX_REASON = 160;
    private static final Pattern RELEASE = Pattern.compile("\"release\"\\s*:\\s*\"([^\"\\\\]{1,128})\"");

    /** One dead letter, counted once. */
    public static DlqSummary of(DeadLetter letter) {
        Instant time = letter.eventTime() != null ? letter.eventTime()
                : letter.receivedAt() != null ? letter.receivedAt() : Instant.EPOCH;
        return new DlqSummary(time.truncatedTo(ChronoUnit.MINUTES), releaseOf(letter), reasonOf(letter), 1);
    }

    public String id() {
        return EsIndices.dlqId(minute, release, reason);
    }

    public DlqSummary withCount(long n) {
        return new DlqSummary(minute, release, reason, n);
    }

    /** From the raw prefix (which may be cut short, so no JSON parse), or the late-event origin. */
    static String releaseOf(DeadLetter letter) {
        if (letter.origin() != null && letter.origin().startsWith("late:")) {
            return letter.origin().substring("late:".length());
        }
        if (letter.raw() != null && "utf-8".equals(letter.rawEncoding())) {
            Matcher m = RELEASE.matcher(letter.raw());
            if (m.find()) {
                return m.group(1);
            }
        }
        return UNKNOWN_RELEASE;
    }

    /** {@code field = value: rule} becomes {@code field: rule}; a whole-record reason keeps its head. */
    static String reasonOf(DeadLetter letter) {
        String reason = letter.reason() == null ? "unknown" : letter.reason();
        String field = letter.field();
        if (field != null && reason.startsWith(field + " = ")) {
            int rule = reason.indexOf(": ", field.length() + 3);
            if (rule > 0) {
                reason = field + ": " + reason.substring(rule + 2);
            }
        } else if (field == null) {
            int colon = reason.indexOf(':');
            if (colon > 0) {
                reason = reason.substring(0, colon);
            }
        }
        return reason.length() <= MAX_REASON ? reason : reason.substring(0, MAX_REASON);
    }
}
