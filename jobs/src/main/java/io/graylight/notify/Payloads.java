package io.graylight.notify;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.graylight.contracts.alert.Alert;
import io.graylight.contracts.decision.DecisionRecord;
import io.graylight.contracts.decision.Evidence;
import io.graylight.contracts.json.Json;
import java.util.Locale;

/** The bodies posted to webhooks: Slack-compatible {@code {text, blocks}} or the record with a summary line. */
final class Payloads {

    private Payloads() {}

    /**
     * @param suppressed notifications the rate limit dropped for this target since the last one sent;
     *     said in the message so that a reader knows there was more
     */
    static byte[] body(WebhookTarget.Kind kind, Notification n, long suppressed) {
        return Json.toBytes(kind == WebhookTarget.Kind.SLACK ? slack(n, suppressed) : generic(n, suppressed));
    }

    static ObjectNode generic(Notification n, long suppressed) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("type", n.alert() != null ? "alert" : "decision");
        body.put("summary", n.summary());
        body.put("key", n.key());
        if (suppressed > 0) {
            body.put("suppressedByRateLimit", suppressed);
        }
        body.set(n.alert() != null ? "alert" : "decision", Json.MAPPER.valueToTree(n.alert() != null ? n.alert() : n.decision()));
        return body;
    }

    /** Slack's incoming-webhook format; {@code text} is the fallback for notifications and clients without blocks. */
    static ObjectNode slack(Notification n, long suppressed) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        String text = n.summary() + (suppressed > 0 ? " (" + suppressed + " more suppressed by the rate limit)" : "");
        body.put("text", text);
        ArrayNode blocks = body.putArray("blocks");
        blocks.addObject().put("type", "header").putObject("text").put("type", "plain_text").put("text", truncate(title(n), 150));
        blocks.addObject().put("type", "section").putObject("text").put("type", "mrkdwn").put("text", truncate(escape(detail(n)), 2900));
        ArrayNode context = blocks.addObject().put("type", "context").putArray("elements");
        context.addObject().put("type", "mrkdwn").put("text", escape(footer(n)));
        if (suppressed > 0) {
            context.addObject().put("type", "mrkdwn").put("text", suppressed + " more suppressed by the rate limit");
        }
        return body;
    }

    private static String title(Notification n) {
        if (n.alert() != null) {
            Alert a = n.alert();
            return (a.severity() == null ? "" : a.severity().name() + " ") + "alert on " + a.release();
        }
        DecisionRecord d = n.decision();
        return d.action() + " " + d.release();
    }

    private static String detail(Notification n) {
        if (n.alert() != null) {
            return n.alert().message();
        }
        DecisionRecord d = n.decision();
        StringBuilder text = new StringBuilder(String.valueOf(d.reason()));
        if (d.evidence() != null) {
            for (Evidence e : d.evidence()) {
                text.append(String.format(Locale.ROOT, "\n• %s: baseline %.4g, canary %.4g (%s %.4g, threshold %.4g)",
                        e.metric(), e.baseline(), e.canary(), e.statistic(), e.value(), e.threshold()));
            }
        }
        return text.toString();
    }

    private static String footer(Notification n) {
        if (n.alert() != null) {
            Alert a = n.alert();
            return String.format(Locale.ROOT, "%s %s · effect %s · scope %s · %s", lower(a.source()), a.rule(), lower(a.effect()),
                    lower(a.scope()), a.eventTime());
        }
        DecisionRecord d = n.decision();
        return String.format(Locale.ROOT, "seq %d · stage %d · canary %s%% · %s", d.seq(), d.stage(), d.canaryPercent(), d.eventTime());
    }

    private static String lower(Enum<?> e) {
        return e == null ? "?" : e.name().toLowerCase(Locale.ROOT);
    }

    /** Slack mrkdwn treats these three as control characters. */
    static String escape(String text) {
        return text == null ? "" : text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String truncate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
