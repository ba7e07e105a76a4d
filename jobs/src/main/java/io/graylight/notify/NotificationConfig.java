package io.graylight.notify;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;

/**
 * {@code notifications.yaml}, parsed by {@link NotificationConfigParser}.
 *
 * @param dedupeWindow how long a notification's key (alert id, release and seq) is remembered: a
 *     repeat within it is not sent again
 */
public record NotificationConfig(Duration dedupeWindow, List<WebhookTarget> targets) implements Serializable {

    public static final Duration DEFAULT_DEDUPE_WINDOW = Duration.ofMinutes(10);

    public NotificationConfig {
        targets = List.copyOf(targets);
    }
}
